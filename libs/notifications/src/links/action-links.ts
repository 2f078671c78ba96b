import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  durationMs,
  isNationCode,
  LINK_ACTS,
  LANGUAGES,
  linkScopeFor,
  WORKING_GROUPS,
  type Language,
  type LinkAct,
  type LinkRole,
  type LinkScope,
  type NotificationRequest,
  type WorkingGroup,
} from '@app/domain';
import { NationsRepository, wgDelegateKey, type ContactKey } from '@app/persistence';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { createHash, hkdfSync } from 'node:crypto';

/** Who a link token is for: never an API token (other audience, other key). */
const AUDIENCE = 'dipb-link';
const ISSUER = 'dipb';
/** The shape of a link token (a compact JWS), checked before any cryptography. */
const LINK_TOKEN = /^[A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{20,200}$/;

/** A link as a message carries it. */
export interface ActionLink {
  id: string;
  url: string;
  act: LinkAct;
  expiresAt: string;
}

/** A link whose token checked out: its scope, the message it came in, the language it was written in. */
export interface VerifiedLink extends LinkScope {
  id: string;
  notification: string;
  language: Language;
  /** The contact's address generation it was sent under (see `NationsRepository.contactGeneration`). */
  generation: string;
}

/** Why a link does not work: each is a 4xx page, never a 5xx. */
export class LinkRefusedError extends Error {
  override name = 'LinkRefusedError';
  constructor(
    readonly why: 'invalid' | 'expired' | 'revoked',
    message: string,
    /** What the token said, when it could be read (an expired or revoked link). */
    readonly link: VerifiedLink | null = null,
  ) {
    super(message);
  }
}

interface Claims {
  jti: string;
  ref: string;
  rev: number;
  rnd: number | null;
  nat: string;
  rol: string;
  act: string;
  wg: string | null;
  gen: string;
  lng: string;
  ntf: string;
  exp: number;
}

/** The directory contact a link's recipient is. */
export function contactKeyOf(role: LinkRole, workingGroup: WorkingGroup | null): ContactKey {
  return role === 'director' ? 'director' : role === 'senior-rep' ? 'senior-rep' : wgDelegateKey(workingGroup ?? 'IC');
}

/** The HS256 key: LINK_SECRET, else one derived from JWT_SECRET for this use only. */
export function linkKey(config: Pick<AppConfig, 'LINK_SECRET' | 'JWT_SECRET'>): Uint8Array {
  if (config.LINK_SECRET) return new TextEncoder().encode(config.LINK_SECRET);
  if (!config.JWT_SECRET) throw new Error('LINK_SECRET or JWT_SECRET is required to sign personal links');
  return new Uint8Array(hkdfSync('sha256', config.JWT_SECRET, 'dipb', 'dipb personal links v1', 32));
}

/** A link's id: short, and the same for the same message and act, so a message composed again is the same message. */
export function linkId(notification: string, act: LinkAct): string {
  return createHash('sha256').update(`${notification}\n${act}`).digest('base64url').slice(0, 16);
}

/**
 * Personal links: signed (jose, HS256) tokens scoped to one act of one nation on one revision of one
 * recommendation, expiring with the matter (`linkScopeFor`), and revoked when the contact they were
 * sent to is replaced (the token carries the contact's address generation). The worker mints them
 * into messages; the API's link page verifies them. A token is deterministic (its instants come from
 * the message), so composing the same message twice gives the same link.
 */
@Injectable()
export class ActionLinks {
  private readonly key: Uint8Array;
  private readonly graceMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly nations: NationsRepository,
  ) {
    this.key = linkKey(config);
    this.graceMs = durationMs(config.LINK_GRACE);
  }

  /** The link a message carries for its recipient, or null when the message asks nothing of them. */
  async forMessage(
    request: NotificationRequest,
    workingGroup: WorkingGroup,
    language: Language,
  ): Promise<ActionLink | null> {
    const scope = linkScopeFor(request, workingGroup, this.graceMs);
    if (!scope) return null;
    const generation = await this.nations.contactGeneration(scope.nation, contactKeyOf(scope.role, scope.workingGroup));
    const token = await this.sign(scope, request.identity, language, generation, Date.parse(request.dueAt));
    return {
      id: linkId(request.identity, scope.act),
      url: this.url(scope, token),
      act: scope.act,
      expiresAt: new Date(scope.expiresAt).toISOString(),
    };
  }

  /** The URL of a link: readable up to the token (what, for which nation), then the token. */
  url(scope: Pick<LinkScope, 'reference' | 'nation' | 'act'>, token: string): string {
    return `${this.config.PUBLIC_URL}/links/${scope.reference}/${scope.nation}/${scope.act}/${token}`;
  }

  /** Signs a token for `scope` (tests use it to make an expired one). */
  sign(
    scope: LinkScope,
    notification: string,
    language: Language,
    generation: string,
    issuedAt: number,
  ): Promise<string> {
    const claims: Omit<Claims, 'exp' | 'jti'> = {
      ref: scope.reference,
      rev: scope.revision,
      rnd: scope.round,
      nat: scope.nation,
      rol: scope.role,
      act: scope.act,
      wg: scope.workingGroup,
      gen: generation,
      lng: language,
      ntf: notification,
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setJti(linkId(notification, scope.act))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(Math.min(issuedAt, scope.expiresAt) / 1000))
      .setExpirationTime(Math.floor(scope.expiresAt / 1000))
      .sign(this.key);
  }

  /**
   * The id of a link whose token is signed by us and not expired, else undefined: the signature only,
   * no database (the rate limit keys a link page's caller by it before anything else runs).
   */
  async signedId(token: string): Promise<string | undefined> {
    if (!LINK_TOKEN.test(token)) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        audience: AUDIENCE,
        issuer: ISSUER,
      });
      return typeof payload.jti === 'string' ? payload.jti : undefined;
    } catch {
      return undefined;
    }
  }

  /** Checks a token: signature, audience, expiry, shape, and that its contact was not replaced since. */
  async verify(token: string): Promise<VerifiedLink> {
    if (!LINK_TOKEN.test(token)) {
      throw new LinkRefusedError('invalid', 'this link is incomplete or damaged');
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], audience: AUDIENCE, issuer: ISSUER }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        throw new LinkRefusedError('expired', 'this link has expired', toLink(err.payload));
      }
      throw new LinkRefusedError('invalid', 'this link is incomplete or damaged');
    }
    const link = toLink(payload);
    if (!link) throw new LinkRefusedError('invalid', 'this link is incomplete or damaged');
    const now = await this.nations.contactGeneration(link.nation, contactKeyOf(link.role, link.workingGroup));
    if (now !== link.generation) {
      throw new LinkRefusedError('revoked', 'this link was sent to a contact the secretariat has since replaced', link);
    }
    return link;
  }
}

/** The link a verified payload describes, or null when its claims are not a link's. */
function toLink(p: Record<string, unknown>): VerifiedLink | null {
  const str = (k: string): string | null => (typeof p[k] === 'string' ? p[k] : null);
  const act = str('act');
  const role = str('rol');
  const nation = str('nat');
  const wg = str('wg');
  const language = str('lng');
  if (!act || !(LINK_ACTS as readonly string[]).includes(act)) return null;
  if (role !== 'director' && role !== 'senior-rep' && role !== 'wg-member') return null;
  if (!nation || !isNationCode(nation)) return null;
  if (wg !== null && !(WORKING_GROUPS as readonly string[]).includes(wg)) return null;
  if (!language || !(LANGUAGES as readonly string[]).includes(language)) return null;
  const ref = str('ref');
  const id = str('jti');
  const ntf = str('ntf');
  const gen = str('gen');
  if (!ref || !id || !ntf || gen === null || typeof p.rev !== 'number' || typeof p.exp !== 'number') return null;
  return {
    id,
    reference: ref,
    revision: p.rev,
    round: typeof p.rnd === 'number' ? p.rnd : null,
    nation: nation,
    role,
    act: act as LinkAct,
    workingGroup: wg as WorkingGroup | null,
    expiresAt: p.exp * 1000,
    notification: ntf,
    language: language as Language,
    generation: gen,
  };
}
