import { call, startApi, tokenFor, type RunningApi } from '@app/testing';
import { loadConfig } from '@app/config';
import { ActionLinks } from '@app/notifications/links/action-links';
import type { NationsRepository } from '@app/persistence';
import { exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

/** Token attacks → 401 problem+json; the CORS and rate-limit behaviour of the same app beside them. */

const SECRET = process.env.JWT_SECRET ?? '';
const ISSUER = process.env.JWT_ISSUER ?? 'dipb-dev';
const AUDIENCE = process.env.JWT_AUDIENCE ?? 'dipb-api';
const now = (): number => Math.floor(Date.now() / 1000);
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A token signed with the right secret, whose claims and header the attack controls. */
function hs(claims: JWTPayload, opts: { secret?: Uint8Array; omit?: string[] } = {}): Promise<string> {
  const payload: JWTPayload = {
    sub: 'attacker',
    roles: ['secretariat'],
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    exp: now() + 600,
    ...claims,
  };
  for (const k of opts.omit ?? []) delete payload[k];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(opts.secret ?? new TextEncoder().encode(SECRET));
}

describe('token attacks', () => {
  let api: RunningApi;
  const saved = process.env.RATE_LIMIT_PER_MINUTE;

  beforeAll(async () => {
    process.env.RATE_LIMIT_PER_MINUTE = '1000';
    api = await startApi();
  });
  afterAll(async () => {
    restore(saved);
    await api?.close();
  });

  const attacks: Array<[string, () => Promise<Record<string, string>>]> = [
    [
      'expired beyond the 30 s skew',
      async () => ({ authorization: `Bearer ${await hs({ exp: now() - 60, iat: now() - 700 })}` }),
    ],
    ['not yet valid (nbf in 2 minutes)', async () => ({ authorization: `Bearer ${await hs({ nbf: now() + 120 })}` })],
    ['wrong issuer', async () => ({ authorization: `Bearer ${await hs({ iss: 'someone-else' })}` })],
    ['wrong audience', async () => ({ authorization: `Bearer ${await hs({ aud: 'another-api' })}` })],
    [
      'wrong signature',
      async () => ({ authorization: `Bearer ${await hs({}, { secret: new TextEncoder().encode('x'.repeat(40)) })}` }),
    ],
    [
      'tampered payload',
      async () => {
        const [h, , s] = (await hs({ roles: ['observer'] })).split('.');
        return {
          authorization: `Bearer ${h}.${b64({ sub: 'a', roles: ['secretariat'], iss: ISSUER, aud: AUDIENCE, exp: now() + 600 })}.${s}`,
        };
      },
    ],
    [
      'alg: none',
      () =>
        Promise.resolve({
          authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'a', roles: ['secretariat'], iss: ISSUER, aud: AUDIENCE, exp: now() + 600 })}.`,
        }),
    ],
    [
      'RS256-signed (algorithm confusion)',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        const t = await new SignJWT({ roles: ['secretariat'] })
          .setProtectedHeader({ alg: 'RS256' })
          .setSubject('a')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(privateKey);
        return { authorization: `Bearer ${t}` };
      },
    ],
    [
      'HS256 signed with a public key as the secret',
      async () => {
        const { publicKey } = await generateKeyPair('RS256', { extractable: true });
        return {
          authorization: `Bearer ${await hs({}, { secret: new TextEncoder().encode(await exportSPKI(publicKey)) })}`,
        };
      },
    ],
    ['missing sub', async () => ({ authorization: `Bearer ${await hs({}, { omit: ['sub'] })}` })],
    ['missing roles', async () => ({ authorization: `Bearer ${await hs({}, { omit: ['roles'] })}` })],
    ['missing exp', async () => ({ authorization: `Bearer ${await hs({}, { omit: ['exp'] })}` })],
    ['empty roles', async () => ({ authorization: `Bearer ${await hs({ roles: [] })}` })],
    ['a role not in the list', async () => ({ authorization: `Bearer ${await hs({ roles: ['admin'] })}` })],
    ['roles as a string', async () => ({ authorization: `Bearer ${await hs({ roles: 'secretariat' })}` })],
    ['director without nation', async () => ({ authorization: `Bearer ${await hs({ roles: ['director'] })}` })],
    [
      'director of a nation not an Ally',
      async () => ({ authorization: `Bearer ${await hs({ roles: ['director'], nation: 'RUS' })}` }),
    ],
    [
      'wg-member without working groups',
      async () => ({ authorization: `Bearer ${await hs({ roles: ['wg-member'], nation: 'FRA' })}` }),
    ],
    ['garbage', () => Promise.resolve({ authorization: 'Bearer garbage.garbage.garbage' })],
    ['Bearer missing', async () => ({ authorization: await hs({}) })],
    [
      'Basic instead of Bearer',
      () => Promise.resolve({ authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }),
    ],
    ['no Authorization header', () => Promise.resolve({})],
  ];

  it.each(attacks)('%s → 401 problem+json', async (_name, headers) => {
    const res = await call(api, 'GET', '/api/v1/nations', { headers: await headers() });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at .*\.js|jose|JWS|JWT[A-Z]/);
  });

  it('accepts a token within the 30 s clock skew (control)', async () => {
    const res = await call(api, 'GET', '/api/v1/nations', {
      headers: { authorization: `Bearer ${await hs({ sub: 'skew', exp: now() - 10 })}` },
    });
    expect(res.status).toBe(200);
  });

  it('sends no CORS headers, and helmet headers on every answer', async () => {
    const res = await fetch(`${api.url}/api/v1/nations`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${api.url}/api/v1/nations`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('rate limit', () => {
  let api: RunningApi;
  const saved = process.env.RATE_LIMIT_PER_MINUTE;

  beforeAll(async () => {
    process.env.RATE_LIMIT_PER_MINUTE = '5';
    api = await startApi();
  });
  afterAll(async () => {
    restore(saved);
    await api?.close();
  });

  it('limits per verified caller with 429 problem+json and Retry-After; health is exempt', async () => {
    const a = await tokenFor({ sub: 'rate-a', roles: ['observer'] });
    const b = await tokenFor({ sub: 'rate-b', roles: ['observer'] });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(api, 'GET', '/api/v1/nations', { token: a })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await call(api, 'GET', '/api/v1/recommendations', { token: a });
    expect(limited.status).toBe(429); // one budget across routes
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, type: expect.stringContaining('rate-limited') });
    // Another caller from the same address still has its own budget: the tracker is the token's subject, not the IP.
    expect((await call(api, 'GET', '/api/v1/nations', { token: b })).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await call(api, 'GET', '/health/live')).status).toBe(200);
  });

  it('limits a flood of bad tokens by address: a forged subject buys no fresh budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await call(api, 'GET', '/api/v1/nations', {
            headers: {
              authorization: `Bearer ${await hs({ sub: `forged-${i}` }, { secret: new TextEncoder().encode('y'.repeat(40)) })}`,
            },
          })
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("counts a link page against its link: bent links spend the address's budget, not a good link's", async () => {
    const reference = 'DIPB-2099-0001';
    const good = await new ActionLinks(loadConfig(), {} as unknown as NationsRepository).sign(
      {
        reference,
        revision: 1,
        round: null,
        nation: 'FRA',
        role: 'director',
        act: 'respond',
        workingGroup: null,
        expiresAt: Date.now() + 3_600_000,
      },
      `${reference}/submission/director-FRA/revision-1`,
      'en',
      '0',
      Date.now(),
    );
    const open = async (token: string) => (await fetch(`${api.url}/links/${reference}/FRA/respond/${token}`)).status;
    const bent: number[] = [];
    for (let i = 0; i < 6; i++) bent.push(await open(`${good.slice(0, -4)}AAA${i}`));
    expect(bent.at(-1)).toBe(429); // the address's budget is spent (by these or the forged API tokens before)
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await open(good));
    // No such recommendation: the page says so (404, or 410 when the directory's generation differs) five
    // times, then this link's own budget is spent.
    expect([404, 410]).toContain(statuses[0]);
    expect(statuses).toEqual([...Array<number>(5).fill(statuses[0]!), 429]);
  });
});

function restore(saved: string | undefined): void {
  if (saved === undefined) delete process.env.RATE_LIMIT_PER_MINUTE;
  else process.env.RATE_LIMIT_PER_MINUTE = saved;
}
