import dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { DestinationRules, type DestinationConfig } from './destinations';

const config = (allowed: string, more: Partial<DestinationConfig> = {}): DestinationConfig => ({
  allowed,
  allowLoopback: false,
  allowHttp: false,
  ...more,
});

const NONE = config('');
const LOOPBACK = config('', { allowLoopback: true });
const HOSTS = config('hooks.example.org, *.example.org');
const EXACT = config('hooks.example.org');
const HOSTS_HTTP = config('hooks.example.org', { allowHttp: true });
const CIDRS = config('10.20.0.0/16, 2001:db8::/32, 192.0.2.7');
const METADATA = config('169.254.169.254/32');

/** What names resolve to in these tests (a name not here does not resolve). */
const DNS: Record<string, string[]> = {
  'hooks.example.org': ['169.254.169.254'],
  'example.org': ['93.184.215.14'],
  'badexample.org': ['93.184.215.15'],
  'x.hooks.example.org': ['93.184.215.16'],
  'inside.corp.test': ['10.20.1.1'],
  'inside6.corp.test': ['2001:db8::1:1'],
  'outside.corp.test': ['8.8.8.8'],
  'split.corp.test': ['10.20.1.1', '8.8.4.4'],
  'metadata.corp.test': ['169.254.169.254'],
  'rebound.corp.test': ['127.0.0.1'],
};
const resolve = (host: string): Promise<string[]> =>
  DNS[host] ? Promise.resolve(DNS[host]) : Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));

type Row = [url: string, config: DestinationConfig, refusedBy: string | null, message?: string | RegExp];

const ROWS: Row[] = [
  // Loopback: by address (all of 127.0.0.0/8, ::1, IPv4-mapped, other spellings) and by name.
  ['http://127.0.0.1:8080/hook', NONE, 'WEBHOOK_ALLOW_LOOPBACK', '127.0.0.1 is loopback'],
  ['http://127.0.0.1:8080/hook', LOOPBACK, null],
  ['http://127.1.2.3/hook', NONE, 'WEBHOOK_ALLOW_LOOPBACK', '127.1.2.3 is loopback'],
  ['http://127.1.2.3/hook', LOOPBACK, null],
  ['http://[::1]:9000/hook', NONE, 'WEBHOOK_ALLOW_LOOPBACK', '::1 is loopback'],
  ['http://[::1]:9000/hook', LOOPBACK, null],
  ['https://[::ffff:127.0.0.1]/hook', NONE, 'WEBHOOK_ALLOW_LOOPBACK', 'is loopback'],
  ['https://2130706433/hook', NONE, 'WEBHOOK_ALLOW_LOOPBACK', '127.0.0.1 is loopback'],
  ['https://0x7f.1/hook', NONE, 'WEBHOOK_ALLOW_LOOPBACK', '127.0.0.1 is loopback'],
  ['http://localhost:3000/hook', NONE, 'WEBHOOK_ALLOW_LOOPBACK', 'localhost is loopback'],
  ['http://localhost:3000/hook', LOOPBACK, null],
  ['http://foo.localhost/hook', NONE, 'WEBHOOK_ALLOW_LOOPBACK', 'foo.localhost is loopback'],
  ['http://foo.localhost/hook', LOOPBACK, null],
  // A loopback allowance allows nothing else.
  ['https://inside.corp.test/hook', LOOPBACK, 'WEBHOOK_ALLOWED_DESTINATIONS', 'resolves to 10.20.1.1'],
  // Host rules: exact, and a wildcard for any depth of subdomain but not the domain itself.
  ['https://hooks.example.org/dipb', EXACT, null],
  ['https://HOOKS.Example.ORG/dipb', EXACT, null],
  ['https://x.hooks.example.org/dipb', EXACT, 'WEBHOOK_ALLOWED_DESTINATIONS', /resolves to 93\.184\.215\.16/],
  ['https://a.example.org/dipb', HOSTS, null],
  ['https://a.b.example.org/dipb', HOSTS, null],
  ['https://example.org/dipb', HOSTS, 'WEBHOOK_ALLOWED_DESTINATIONS', /^example\.org is not among the allowed/],
  ['https://badexample.org/dipb', HOSTS, 'WEBHOOK_ALLOWED_DESTINATIONS', /^badexample\.org is not among the allowed/],
  // CIDR rules, v4, v6 and a single address.
  ['https://10.20.3.4/dipb', CIDRS, null],
  ['https://10.21.0.1/dipb', CIDRS, 'WEBHOOK_ALLOWED_DESTINATIONS', '10.21.0.1 is in none of the allowed networks'],
  ['https://[2001:db8::5]/dipb', CIDRS, null],
  [
    'https://[2001:db9::5]/dipb',
    CIDRS,
    'WEBHOOK_ALLOWED_DESTINATIONS',
    '2001:db9::5 is in none of the allowed networks',
  ],
  ['https://192.0.2.7/dipb', CIDRS, null],
  ['https://192.0.2.8/dipb', CIDRS, 'WEBHOOK_ALLOWED_DESTINATIONS', '192.0.2.8 is in none of the allowed networks'],
  // Cloud metadata: never by host rules, only by a CIDR that names it.
  ['https://169.254.169.254/latest', HOSTS, 'WEBHOOK_ALLOWED_DESTINATIONS', '169.254.169.254 is in none'],
  ['https://169.254.169.254/latest', CIDRS, 'WEBHOOK_ALLOWED_DESTINATIONS', '169.254.169.254 is in none'],
  ['https://[::ffff:169.254.169.254]/latest', HOSTS, 'WEBHOOK_ALLOWED_DESTINATIONS', 'is in none'],
  ['https://169.254.169.254/latest', METADATA, null],
  ['https://metadata.corp.test/latest', CIDRS, 'WEBHOOK_ALLOWED_DESTINATIONS', 'resolves to 169.254.169.254'],
  ['https://metadata.corp.test/latest', METADATA, null],
  // A name no host rule names: allowed only if every address it resolves to is in an allowed network.
  ['https://inside.corp.test/hook', CIDRS, null],
  ['https://inside6.corp.test/hook', CIDRS, null],
  [
    'https://outside.corp.test/hook',
    CIDRS,
    'WEBHOOK_ALLOWED_DESTINATIONS',
    'outside.corp.test is not among the allowed host names, and it resolves to 8.8.8.8, in none of the allowed networks',
  ],
  ['https://split.corp.test/hook', CIDRS, 'WEBHOOK_ALLOWED_DESTINATIONS', 'resolves to 8.8.4.4'],
  ['https://rebound.corp.test/hook', CIDRS, 'WEBHOOK_ALLOWED_DESTINATIONS', 'resolves to 127.0.0.1'],
  [
    'https://nowhere.corp.test/hook',
    CIDRS,
    'WEBHOOK_ALLOWED_DESTINATIONS',
    'nowhere.corp.test is not among the allowed host names, and it does not resolve',
  ],
  ['https://anything.test/hook', NONE, 'WEBHOOK_ALLOWED_DESTINATIONS', 'does not resolve'],
  // The URL's own form.
  ['hooks.example.org/dipb', HOSTS, 'url', 'must be an absolute http(s) URL'],
  ['ftp://hooks.example.org/dipb', HOSTS, 'url', 'must be http or https, not ftp'],
  ['file:///etc/passwd', HOSTS, 'url', 'must be http or https, not file'],
  ['https://user:secret@hooks.example.org/dipb', HOSTS, 'url', 'must not carry a user name or password'],
  ['https://user@hooks.example.org/dipb', HOSTS, 'url', 'must not carry a user name or password'],
  ['https://hooks.example.org/dipb#part', HOSTS, 'url', 'must not have a fragment'],
  ['https://hooks.example.org/dipb#', HOSTS, 'url', 'must not have a fragment'],
  // Plain http: only to loopback, or with WEBHOOK_ALLOW_HTTP.
  ['http://hooks.example.org/dipb', HOSTS, 'WEBHOOK_ALLOW_HTTP', /^must be https/],
  ['http://10.20.3.4/dipb', CIDRS, 'WEBHOOK_ALLOW_HTTP', /^must be https/],
  ['http://hooks.example.org/dipb', HOSTS_HTTP, null],
  ['http://other.example.net/dipb', HOSTS_HTTP, 'WEBHOOK_ALLOWED_DESTINATIONS', 'does not resolve'],
];

const label = (c: DestinationConfig) =>
  `${JSON.stringify(c.allowed)}${c.allowLoopback ? ' +loopback' : ''}${c.allowHttp ? ' +http' : ''}`;

describe('DestinationRules.check', () => {
  it.each(ROWS.map(([url, c, refusedBy, message]) => [url, label(c), refusedBy ?? 'allowed', c, message] as const))(
    '%s with %s: %s',
    async (url, _label, expected, c, message) => {
      const refusal = await new DestinationRules(c).check(url, resolve);
      if (expected === 'allowed') {
        expect(refusal).toBeNull();
        return;
      }
      expect(refusal?.rule).toBe(expected);
      if (typeof message === 'string') expect(refusal?.message).toContain(message);
      else expect(refusal?.message).toMatch(message!);
    },
  );

  it('does not resolve a name a host rule allows (its addresses are checked when connecting)', async () => {
    const asked: string[] = [];
    const refusal = await new DestinationRules(HOSTS).check('https://hooks.example.org/dipb', (host) => {
      asked.push(host);
      return Promise.resolve(['169.254.169.254']);
    });
    expect(refusal).toBeNull();
    expect(asked).toEqual([]);
  });

  it('reads its rules trimmed, in any case, skipping empty entries', async () => {
    const rules = new DestinationRules(config(' Hooks.Example.ORG , ,10.0.0.0/8 ,'));
    expect(await rules.check('https://hooks.example.org/', resolve)).toBeNull();
    expect(await rules.check('https://10.9.8.7/', resolve)).toBeNull();
    expect(await rules.check('https://11.0.0.1/', resolve)).toMatchObject({ rule: 'WEBHOOK_ALLOWED_DESTINATIONS' });
  });

  it.each([
    ['10.0.0.0/33', /bad prefix in 10\.0\.0\.0\/33/],
    ['2001:db8::/129', /bad prefix in 2001:db8::\/129/],
    ['https://hooks.example.org', /not a host name or CIDR: https:\/\/hooks\.example\.org/],
    ['hooks example.org', /not a host name or CIDR/],
    ['*', /not a host name or CIDR: \*/],
    ['*.', /not a host name or CIDR/],
    ['hooks.example.org:443', /not a host name or CIDR/],
    ['10.0.0.0/8/8', /not a host name or CIDR/],
  ])('refuses the configuration entry %s with a RangeError', (entry, message) => {
    const make = () => new DestinationRules(config(`hooks.example.org,${entry}`));
    expect(make).toThrow(RangeError);
    expect(make).toThrow(message);
    expect(make).toThrow(/^WEBHOOK_ALLOWED_DESTINATIONS: /);
  });
});

describe('DestinationRules.addressAllowed', () => {
  it('refuses link-local, unspecified and multicast addresses to a name a host rule allows, unless a CIDR names them', () => {
    const hosts = new DestinationRules(HOSTS);
    for (const address of ['169.254.169.254', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::', 'fe80::1', 'ff02::1'])
      expect(hosts.addressAllowed(address, true)).toEqual({
        rule: 'WEBHOOK_ALLOWED_DESTINATIONS',
        message: `${address} is link-local, unspecified or multicast; only a CIDR rule allows it`,
      });
    expect(hosts.addressAllowed('93.184.215.14', true)).toBeNull();
    expect(hosts.addressAllowed('93.184.215.14', false)).toMatchObject({ rule: 'WEBHOOK_ALLOWED_DESTINATIONS' });
    expect(
      new DestinationRules(config('hooks.example.org,169.254.169.254/32')).addressAllowed('169.254.169.254', true),
    ).toBeNull();
  });
});

describe('DestinationRules.guardedLookup', () => {
  type Outcome = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };
  const lookup = (rules: DestinationRules, host: string, options: dns.LookupOptions = {}): Promise<Outcome> =>
    new Promise((done) =>
      rules.guardedLookup()(host, options, (err, address, family) => done({ err, address, family })),
    );

  /** node:dns answering `answers` for the names given, as a DNS that rebinds would. */
  const fakeDns = (answers: Record<string, LookupAddress[]>) =>
    jest.spyOn(dns, 'lookup').mockImplementation(((
      host: string,
      _options: unknown,
      callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
    ) => {
      const found = answers[host];
      if (found) process.nextTick(() => callback(null, found));
      else
        process.nextTick(() =>
          callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []),
        );
    }) as unknown as typeof dns.lookup);

  afterEach(() => jest.restoreAllMocks());

  it('fails the connection to localhost when loopback is not allowed', async () => {
    const { err } = await lookup(new DestinationRules(NONE), 'localhost');
    expect(err?.code).toBe('EDESTINATIONREFUSED');
    expect(err?.message).toMatch(
      /^destination refused: .* is loopback, and loopback destinations are not allowed \(WEBHOOK_ALLOW_LOOPBACK\)$/,
    );
  });

  it('gives a loopback address for localhost when loopback is allowed', async () => {
    const { err, address, family } = await lookup(new DestinationRules(LOOPBACK), 'localhost');
    expect(err).toBeNull();
    expect(['127.0.0.1', '::1']).toContain(address);
    expect(family).toBe(address === '::1' ? 6 : 4);
  });

  it('gives every address, as an array, when asked for all', async () => {
    const { err, address } = await lookup(new DestinationRules(LOOPBACK), 'localhost', { all: true });
    expect(err).toBeNull();
    expect(Array.isArray(address)).toBe(true);
    const all = address as LookupAddress[];
    expect(all.length).toBeGreaterThan(0);
    for (const a of all) {
      expect(['127.0.0.1', '::1']).toContain(a.address);
      expect(a.family).toBe(a.address === '::1' ? 6 : 4);
    }
  });

  it('refuses a name a host rule allows when it resolves to the metadata address, unless a CIDR names it', async () => {
    const spy = fakeDns({ 'hooks.example.org': [{ address: '169.254.169.254', family: 4 }] });
    const refused = await lookup(new DestinationRules(HOSTS), 'hooks.example.org');
    expect(refused.err?.code).toBe('EDESTINATIONREFUSED');
    expect(refused.err?.message).toBe(
      'destination refused: 169.254.169.254 is link-local, unspecified or multicast; only a CIDR rule allows it (WEBHOOK_ALLOWED_DESTINATIONS)',
    );
    const allowed = await lookup(
      new DestinationRules(config('hooks.example.org,169.254.169.254/32')),
      'hooks.example.org',
    );
    expect(allowed).toEqual({ err: null, address: '169.254.169.254', family: 4 });
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('refuses a name that resolves to any address out of the rules (DNS rebinding), even among allowed ones', async () => {
    fakeDns({
      'inside.corp.test': [
        { address: '10.20.1.1', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
      'hooks.example.org': [{ address: '::1', family: 6 }],
    });
    const rules = new DestinationRules(config('hooks.example.org,10.20.0.0/16'));
    const rebound = await lookup(rules, 'inside.corp.test', { all: true });
    expect(rebound.err?.code).toBe('EDESTINATIONREFUSED');
    expect(rebound.err?.message).toContain('127.0.0.1 is loopback');
    // Even a name a host rule allows reaches loopback only with WEBHOOK_ALLOW_LOOPBACK.
    const named = await lookup(rules, 'hooks.example.org');
    expect(named.err?.code).toBe('EDESTINATIONREFUSED');
    expect(named.err?.message).toContain('::1 is loopback');
  });

  it('gives the first address of a name whose addresses are all allowed', async () => {
    fakeDns({
      'inside.corp.test': [
        { address: '10.20.1.1', family: 4 },
        { address: '10.20.1.2', family: 4 },
      ],
    });
    const rules = new DestinationRules(CIDRS);
    expect(await lookup(rules, 'inside.corp.test')).toEqual({ err: null, address: '10.20.1.1', family: 4 });
    expect(await lookup(rules, 'inside.corp.test', { all: true })).toEqual({
      err: null,
      address: [
        { address: '10.20.1.1', family: 4 },
        { address: '10.20.1.2', family: 4 },
      ],
      family: undefined,
    });
  });

  it('passes on the resolver error of a name that does not resolve', async () => {
    fakeDns({});
    const { err } = await lookup(new DestinationRules(HOSTS), 'hooks.example.org');
    expect(err?.code).toBe('ENOTFOUND');
  });
});
