import {
  CLUSTER_LAYOUT,
  clusterDatabase,
  clusterLayout,
  compareVersions,
  DYNAMIC_CONFIG_FILE,
  isLocalHost,
  NUM_HISTORY_SHARDS,
  searchAttributeGaps,
  searchAttributeTypeName,
  serverConfig,
  isTemporalCliRecentEnough,
  parseGoModuleVersion,
  parseTemporalVersion,
  searchAttributeFlags,
  parseDynamicConfig,
  SERVER_DYNAMIC_CONFIG,
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

describe('searchAttributeGaps', () => {
  it('names what is missing and what exists with another type, as the CLI lists them', () => {
    expect(searchAttributeTypeName('INDEXED_VALUE_TYPE_KEYWORD_LIST')).toBe('KeywordList');
    expect(searchAttributeTypeName('INDEXED_VALUE_TYPE_DATETIME')).toBe('Datetime');
    expect(searchAttributeTypeName('INDEXED_VALUE_TYPE_BOOL')).toBe('Bool');
    const wanted = { DipbStage: 'Keyword', DipbPendingNations: 'KeywordList', DipbOverdue: 'Bool' };
    expect(
      searchAttributeGaps(
        {
          DipbStage: 'INDEXED_VALUE_TYPE_KEYWORD',
          DipbOverdue: 'INDEXED_VALUE_TYPE_KEYWORD',
          Other: 'INDEXED_VALUE_TYPE_INT',
        },
        wanted,
      ),
    ).toEqual({ missing: ['DipbPendingNations'], wrong: ['DipbOverdue is Keyword, this service needs Bool'] });
  });
});

describe('the cluster configuration', () => {
  it('lists every service with this process its own ports, on PostgreSQL, with the shared dynamic config', () => {
    const db = clusterDatabase('postgres://dipb:s%3Acret@db.example:5433/dipb');
    expect(db).toEqual({ host: 'db.example', port: 5433, user: 'dipb', password: 's:cret' });
    const history2 = CLUSTER_LAYOUT.processes.find((p) => p.name === 'temporal-history-2');
    if (!history2) throw new Error('two history hosts');
    const yaml = serverConfig(CLUSTER_LAYOUT, history2, db, '/repo/docker/temporal-dynamicconfig.yaml');
    expect(yaml).toContain(`numHistoryShards: ${NUM_HISTORY_SHARDS}`);
    expect(yaml).toMatch(/history:\n {4}rpc:\n {6}grpcPort: 7236\n {6}membershipPort: 6936/);
    for (const service of ['frontend', 'matching', 'worker']) expect(yaml).toContain(`  ${service}:\n    rpc:`);
    expect(yaml).toContain('pluginName: "postgres12"');
    expect(yaml).toContain('databaseName: "temporal_visibility"');
    expect(yaml).toContain('connectAddr: "db.example:5433"');
    expect(yaml).toContain('password: "s:cret"');
    expect(yaml).toContain('filepath: "/repo/docker/temporal-dynamicconfig.yaml"');
    // Two history hosts and one of each other service, each on its own ports.
    expect(CLUSTER_LAYOUT.processes.filter((p) => p.service === 'history')).toHaveLength(2);
    const ports = CLUSTER_LAYOUT.processes.flatMap((p) => [p.grpcPort, p.membershipPort]);
    expect(new Set(ports).size).toBe(ports.length);
    // A test cluster beside it: other ports, other names, other databases.
    const test = clusterLayout(100, 'temporal-ctest', '_ctest');
    const testPorts = test.processes.flatMap((p) => [p.grpcPort, p.membershipPort]);
    expect(testPorts.some((port) => ports.includes(port))).toBe(false);
    expect(test.databases).toEqual({ temporal: 'temporal_ctest', visibility: 'temporal_visibility_ctest' });
    expect(serverConfig(test, test.processes[0]!, db, '/f')).toContain('databaseName: "temporal_ctest"');
  });
});

describe('the dynamic config every Temporal server gets', () => {
  it('is read from the one file docker/ uses, its unconstrained values as the dev server takes them', () => {
    expect(SERVER_DYNAMIC_CONFIG['history.maxInFlightUpdates']).toBe(64);
    expect(SERVER_DYNAMIC_CONFIG['system.enableActivityEagerExecution']).toBe(true);
    expect(SERVER_DYNAMIC_CONFIG['limit.historyCount.suggestContinueAsNew']).toBe(4096);
    expect(DYNAMIC_CONFIG_FILE).toMatch(/docker\/temporal-dynamicconfig\.yaml$/);
    const parsed = parseDynamicConfig(
      [
        'a.flag:',
        '  - value: 10',
        '    constraints: { namespace: "dipb" }',
        '  - value: 3',
        'b.name:',
        '  - value: "x"',
        '    constraints: { taskQueueName: "q" }',
      ].join('\n'),
    );
    // A namespace- or queue-scoped value is not a server-wide flag.
    expect(parsed).toEqual({ 'a.flag': 3 });
    expect(() => parseDynamicConfig('c.map:\n  - value: { a: 1 }\n')).toThrow(/c\.map/);
  });
});
