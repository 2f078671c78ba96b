import { parseConfig } from '@app/config';
import type { LinkScope } from '@app/domain';
import type { NationsRepository } from '@app/persistence';
import { SignJWT } from 'jose';
import { ActionLinks, linkKey, LinkRefusedError } from './action-links';

const config = parseConfig({
  JWT_SECRET: 'a-test-secret-of-at-least-32-characters',
  PUBLIC_URL: 'https://dipb.example/',
});
const HOUR = 3_600_000;
const scope = (expiresAt: number): LinkScope => ({
  reference: 'DIPB-2026-0001',
  revision: 2,
  round: null,
  nation: 'FRA',
  role: 'director',
  act: 'respond',
  workingGroup: null,
  expiresAt,
});

/** The directory at the unit's edge: the contact's address generation, as the test sets it. */
function linksWith(generation: { now: string }): ActionLinks {
  return new ActionLinks(config, {
    contactGeneration: () => Promise.resolve(generation.now),
  } as unknown as NationsRepository);
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LinkRefusedError) return err.why;
    throw err;
  }
  return 'accepted';
}

describe('ActionLinks', () => {
  const generation = { now: '7' };
  const links = linksWith(generation);

  it('signs a token for the scope and reads the same scope back; the same message gives the same token', async () => {
    const expiresAt = Date.now() + HOUR;
    const token = await links.sign(
      scope(expiresAt),
      'DIPB-2026-0001/submission/director-FRA/revision-2',
      'fr',
      '7',
      Date.now(),
    );
    expect(token).toBe(
      await links.sign(scope(expiresAt), 'DIPB-2026-0001/submission/director-FRA/revision-2', 'fr', '7', Date.now()),
    );
    expect(await links.verify(token)).toMatchObject({
      ...scope(Math.floor(expiresAt / 1000) * 1000),
      language: 'fr',
      generation: '7',
      notification: 'DIPB-2026-0001/submission/director-FRA/revision-2',
    });
    expect(links.url(scope(expiresAt), token)).toBe(`https://dipb.example/links/DIPB-2026-0001/FRA/respond/${token}`);
  });

  it('refuses a changed payload, another key, an API token, a garbled or expired token, and a replaced contact', async () => {
    const token = await links.sign(scope(Date.now() + HOUR), 'n', 'en', '7', Date.now());
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), nat: 'DEU' }),
    ).toString('base64url');
    expect(await refusal(links.verify(`${header}.${forged}.${signature}`))).toBe('invalid');
    const otherKey = new ActionLinks(parseConfig({ JWT_SECRET: 'another-secret-of-at-least-32-characters!' }), {
      contactGeneration: () => Promise.resolve('7'),
    } as unknown as NationsRepository);
    expect(await refusal(links.verify(await otherKey.sign(scope(Date.now() + HOUR), 'n', 'en', '7', Date.now())))).toBe(
      'invalid',
    );
    // An API token signed with the same secret is not a link (other audience, other key).
    const apiToken = await new SignJWT({ roles: ['director'], nation: 'FRA' })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('dipb-api')
      .setIssuer('dipb-dev')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(config.JWT_SECRET));
    expect(await refusal(links.verify(apiToken))).toBe('invalid');
    expect(await refusal(links.verify('not.a.token'))).toBe('invalid');
    expect(
      await refusal(links.verify(await links.sign(scope(Date.now() - 1000), 'n', 'en', '7', Date.now() - HOUR))),
    ).toBe('expired');
    generation.now = '8';
    expect(await refusal(links.verify(token))).toBe('revoked');
    generation.now = '7';
    expect(await refusal(links.verify(token))).toBe('accepted');
  });

  it("gives a link's id from its signature alone (no directory), and nothing for a bent, expired or foreign token", async () => {
    const noDirectory = new ActionLinks(config, {
      contactGeneration: () => Promise.reject(new Error('signedId must not read the directory')),
    } as unknown as NationsRepository);
    const token = await links.sign(scope(Date.now() + HOUR), 'n', 'en', '7', Date.now());
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(await noDirectory.signedId(token)).toBe((await links.verify(token)).id);
    expect(await noDirectory.signedId(`${header}.${payload}.${signature.slice(0, -4)}AAAA`)).toBeUndefined();
    expect(await noDirectory.signedId(token.slice(0, 40))).toBeUndefined();
    expect(
      await noDirectory.signedId(await links.sign(scope(Date.now() - 1000), 'n', 'en', '7', Date.now() - HOUR)),
    ).toBeUndefined();
    const apiToken = await new SignJWT({ jti: 'x', roles: ['director'], nation: 'FRA' })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('dipb-api')
      .setIssuer('dipb-dev')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(config.JWT_SECRET));
    expect(await noDirectory.signedId(apiToken)).toBeUndefined();
  });

  it('keys links apart from API tokens even without LINK_SECRET', () => {
    expect(Buffer.from(linkKey(config)).toString()).not.toBe(config.JWT_SECRET);
    expect(Buffer.from(linkKey({ LINK_SECRET: 'x'.repeat(32), JWT_SECRET: undefined })).toString()).toBe(
      'x'.repeat(32),
    );
  });
});
