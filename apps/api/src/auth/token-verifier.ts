import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { isNationCode, ROLES, WORKING_GROUPS, type Actor, type Role, type WorkingGroup } from '@app/domain';

export class InvalidTokenError extends Error {}

/** Tokens are refused unless they pass this: signature, algorithm, issuer, audience, expiry and the claims read below. */
export function actorFromClaims(payload: JWTPayload): Actor {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200)
    throw new InvalidTokenError('the token has no subject');
  const rawRoles = payload.roles;
  if (
    !Array.isArray(rawRoles) ||
    rawRoles.length === 0 ||
    !rawRoles.every((r) => (ROLES as readonly unknown[]).includes(r))
  ) {
    throw new InvalidTokenError(`the token's roles must be a non-empty list of ${ROLES.join(', ')}`);
  }
  const roles = rawRoles as Role[];
  const nation = payload.nation;
  if (nation !== undefined && !isNationCode(nation)) throw new InvalidTokenError('the token names an unknown nation');
  if (nation === undefined && roles.some((r) => r === 'wg-member' || r === 'senior-rep' || r === 'director')) {
    throw new InvalidTokenError('a wg-member, senior-rep or director token must name a nation');
  }
  const wgs = payload.workingGroups ?? [];
  if (!Array.isArray(wgs) || !wgs.every((w) => (WORKING_GROUPS as readonly unknown[]).includes(w))) {
    throw new InvalidTokenError(`workingGroups must be a list of ${WORKING_GROUPS.join(', ')}`);
  }
  if (roles.includes('wg-member') && wgs.length === 0)
    throw new InvalidTokenError('a wg-member token must name its working groups');
  const actor: Actor = { id: sub, roles, workingGroups: wgs as WorkingGroup[] };
  if (typeof payload.name === 'string') actor.name = payload.name.slice(0, 200);
  if (nation !== undefined) actor.nation = nation;
  return actor;
}

/** A verified token is trusted again without verifying its signature for at most this long (and never past its expiry). */
export const VERIFIED_TOKEN_TTL_MS = 60_000;

@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];
  /**
   * Tokens already verified, by their exact text: a client sends the same token with every request,
   * and checking its signature each time is the biggest fixed cost of a request. Bounded in size and
   * in time; a token past its `exp` is never served from here.
   */
  private readonly verified = new LRUCache<string, Actor>({ max: 10_000 });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.JWT_JWKS_URL) {
      // jose caches the key set and refetches on an unknown kid (with a cooldown).
      this.key = createRemoteJWKSet(new URL(config.JWT_JWKS_URL), {
        cacheMaxAge: 10 * 60_000,
        cooldownDuration: 30_000,
      });
      this.algorithms = ['RS256'];
    } else {
      this.key = new TextEncoder().encode(config.JWT_SECRET);
      this.algorithms = ['HS256'];
    }
  }

  async verify(token: string): Promise<Actor> {
    const known = this.verified.get(token);
    if (known) return known;
    try {
      const options = {
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        algorithms: this.algorithms,
        clockTolerance: 30,
        requiredClaims: ['exp', 'sub'],
      };
      const { payload } =
        this.key instanceof Uint8Array
          ? await jwtVerify(token, this.key, options)
          : await jwtVerify(token, this.key, options);
      const actor = actorFromClaims(payload);
      // `exp` is required: trusted until then, at most VERIFIED_TOKEN_TTL_MS.
      const ttl = Math.min(VERIFIED_TOKEN_TTL_MS, (payload.exp ?? 0) * 1000 - Date.now());
      if (ttl > 0) this.verified.set(token, actor, { ttl });
      return actor;
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      throw new InvalidTokenError('the token is invalid or expired');
    }
  }
}
