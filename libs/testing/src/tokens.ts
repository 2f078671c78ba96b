import { SignJWT } from 'jose';
import type { NationCode, Role, WorkingGroup } from '@app/domain';

export interface TokenClaims {
  sub?: string;
  name?: string;
  roles: Role[];
  nation?: NationCode;
  workingGroups?: WorkingGroup[];
}

export interface SigningOptions {
  secret: string;
  issuer: string;
  audience: string;
  expiresIn?: string;
}

/** An HS256 token as the API expects it; for development (`npm run token`) and tests. */
export async function signToken(claims: TokenClaims, options: SigningOptions): Promise<string> {
  const { sub, ...rest } = claims;
  const subject = sub ?? `${claims.roles[0] ?? 'user'}${claims.nation ? `-${claims.nation.toLowerCase()}` : ''}`;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '8h')
    .sign(new TextEncoder().encode(options.secret));
}
