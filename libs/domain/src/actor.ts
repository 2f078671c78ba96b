import type { NationCode, WorkingGroup } from './allies';

export const ROLES = ['secretariat', 'wg-member', 'senior-rep', 'director', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** A personal link someone acted through (see `links.ts`): its id, and the message that carried it. */
export interface LinkRef {
  id: string;
  notification: string;
}

/** Who sends a command, as the API's guard built it from the verified token (or a personal link). */
export interface Actor {
  id: string;
  name?: string;
  roles: Role[];
  nation?: NationCode;
  workingGroups?: WorkingGroup[];
  /** Set when the command came from a personal link in a message rather than an API token. */
  link?: LinkRef;
}

/** What the audit trail keeps of an actor: enough to answer "who did this, for whom". */
export interface ActorRef {
  id: string;
  name?: string;
  role: Role | 'system';
  nation?: NationCode;
  /** Set when the secretariat acted for a nation. */
  onBehalfOf?: NationCode;
  /** Set when the person acted through a personal link (the link's id and the message it came in). */
  link?: LinkRef;
}

export const SYSTEM_ACTOR: ActorRef = { id: 'system', role: 'system' };

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.includes(role);
}

/** What the audit trail keeps of `actor` acting in `role` (who; for whom is the caller's to add). */
export function actorAs(actor: Actor, role: Role): ActorRef {
  const ref: ActorRef = { id: actor.id, role };
  if (actor.name !== undefined) ref.name = actor.name;
  if (actor.nation !== undefined) ref.nation = actor.nation;
  if (actor.link !== undefined) ref.link = { id: actor.link.id, notification: actor.link.notification };
  return ref;
}
