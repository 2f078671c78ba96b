import * as jose from 'jose';
import { loadConfig } from '@app/config';
import { signToken } from '../../../../libs/testing/src/tokens';
import { sleep } from '../../../../libs/testing/src/wait';
import { TokenVerifier } from './token-verifier';

// The verifier's own logic at its edge: jose's signature check is counted, not replaced.
jest.mock('jose', () => {
  const actual = jest.requireActual<typeof import('jose')>('jose');
  return { ...actual, jwtVerify: jest.fn(actual.jwtVerify) };
});

const SECRET = 'token-verifier-spec-secret-at-least-32-chars';
const config = loadConfig({ JWT_SECRET: SECRET, JWT_ISSUER: 'dipb-dev', JWT_AUDIENCE: 'dipb-api' });
const sign = (sub: string, expiresIn = '1h') =>
  signToken(
    { sub, roles: ['director'], nation: 'FRA' },
    { secret: SECRET, issuer: 'dipb-dev', audience: 'dipb-api', expiresIn },
  );
const checks = () => (jose.jwtVerify as jest.Mock).mock.calls.length;

describe('TokenVerifier', () => {
  beforeEach(() => (jose.jwtVerify as jest.Mock).mockClear());

  it('checks a token’s signature once, then trusts the same token for a while', async () => {
    const verifier = new TokenVerifier(config);
    const token = await sign('nad-fra');
    for (let i = 0; i < 5; i++) expect(await verifier.verify(token)).toMatchObject({ id: 'nad-fra', nation: 'FRA' });
    expect(checks()).toBe(1);
    await verifier.verify(await sign('nad-fra-2'));
    expect(checks()).toBe(2);
  });

  it('never serves a token from memory past its expiry, and never remembers a refused one', async () => {
    const verifier = new TokenVerifier(config);
    const short = await sign('nad-short', '2s');
    await verifier.verify(short);
    await sleep(2100);
    // Past `exp`: checked again (jose still allows its 30 s of clock skew).
    await verifier.verify(short);
    expect(checks()).toBe(2);
    const forged = `${(await sign('nad-x')).slice(0, -4)}AAAA`;
    await expect(verifier.verify(forged)).rejects.toThrow('invalid or expired');
    await expect(verifier.verify(forged)).rejects.toThrow('invalid or expired');
    expect(checks()).toBe(4);
  });
});
