import {
  compareVersions,
  isLocalHost,
  isTemporalCliRecentEnough,
  parseGoModuleVersion,
  parseTemporalVersion,
  searchAttributeFlags,
} from '.';

describe('parseTemporalVersion', () => {
  it('reads the CLI, server and UI versions of a release build', () => {
    expect(parseTemporalVersion('temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)\n')).toEqual({
      cli: '1.5.1',
      server: '1.29.1',
      ui: '2.42.1',
    });
  });

  it('reads a go-install build, which reports 0.0.0-DEV', () => {
    expect(parseTemporalVersion('temporal version 0.0.0-DEV (Server 1.29.1, UI 2.42.1)')).toEqual({
      cli: '0.0.0-DEV',
      server: '1.29.1',
      ui: '2.42.1',
    });
  });

  it('copes with an old CLI that prints no server version', () => {
    expect(parseTemporalVersion('temporal version 0.2.0')).toEqual({ cli: '0.2.0' });
  });

  it('returns undefined for output that is not a version', () => {
    expect(parseTemporalVersion('bash: temporal: command not found')).toBeUndefined();
  });
});

describe('parseGoModuleVersion', () => {
  const buildInfo = [
    '.tools/bin/temporal: go1.26.8',
    '\tpath\tgithub.com/temporalio/cli/cmd/temporal',
    '\tmod\tgithub.com/temporalio/cli\tv1.5.1\th1:0RZMk14BWxz44Xg6ciDQvpfAMffoG3J7/K03ql80teY=',
    '\tdep\tgithub.com/temporalio/ui-server/v2\tv2.42.1\th1:abc=',
  ].join('\n');

  it('finds the module version of the CLI', () => {
    expect(parseGoModuleVersion(buildInfo)).toBe('1.5.1');
  });

  it('returns undefined when the module is not there', () => {
    expect(parseGoModuleVersion('\tmod\texample.com/other\tv9.9.9')).toBeUndefined();
  });
});

describe('compareVersions', () => {
  it('compares numerically, not as text', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareVersions('1.5.1', '1.5.1')).toBe(0);
    expect(compareVersions('v1.5', '1.5.1')).toBe(-1);
    expect(compareVersions('1.5.1-rc1', '1.5.1')).toBe(0);
  });
});

describe('isTemporalCliRecentEnough', () => {
  it('accepts v1.5.1 and newer, refuses older releases', () => {
    expect(isTemporalCliRecentEnough({ cli: '1.5.1' })).toBe(true);
    expect(isTemporalCliRecentEnough({ cli: '1.6.0', server: '1.30.0' })).toBe(true);
    expect(isTemporalCliRecentEnough({ cli: '1.4.0', server: '1.28.0' })).toBe(false);
  });

  it('judges a 0.0.0-DEV build by its Go module version when known', () => {
    expect(isTemporalCliRecentEnough({ cli: '0.0.0-DEV', server: '1.29.1' }, '1.5.1')).toBe(true);
    expect(isTemporalCliRecentEnough({ cli: '0.0.0-DEV', server: '1.29.1' }, '1.4.0')).toBe(false);
  });

  it('falls back to the bundled server version for a 0.0.0-DEV build', () => {
    expect(isTemporalCliRecentEnough({ cli: '0.0.0-DEV', server: '1.29.1' })).toBe(true);
    expect(isTemporalCliRecentEnough({ cli: '0.0.0-DEV', server: '1.27.2' })).toBe(false);
    expect(isTemporalCliRecentEnough({ cli: '0.0.0-DEV' })).toBe(false);
  });
});

describe('searchAttributeFlags', () => {
  it('registers the six search attributes of the API contract', () => {
    const flags = searchAttributeFlags();
    expect(flags.filter((f) => f === '--search-attribute')).toHaveLength(6);
    expect(flags).toEqual(
      expect.arrayContaining(['DipbPendingNations=KeywordList', 'DipbNextDeadline=Datetime', 'DipbOverdue=Bool']),
    );
  });
});

describe('isLocalHost', () => {
  it('recognises loopback names only', () => {
    expect(isLocalHost('127.0.0.1')).toBe(true);
    expect(isLocalHost('localhost')).toBe(true);
    expect(isLocalHost('db.example.org')).toBe(false);
  });
});
