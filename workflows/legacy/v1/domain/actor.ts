// FROZEN copy of libs/domain/src/actor.ts as the v1 lifecycle ran it (see ../recommendation-lifecycle.v1.ts).
// Histories recorded by v1 replay against this code: never change what it decides.
import type { NationCode, WorkingGroup } from './allies';

export const ROLES = ['secretariat', 'wg-member', 'senior-rep', 'director', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** Who sends a command, as the API's guard built it from the verified token. */
export interface Actor {
  id: string;
  name?: string;
  roles: Role[];
  nation?: NationCode;
  workingGroups?: WorkingGroup[];
}

/** What the audit trail keeps of an actor: enough to answer "who did this, for whom". */
export interface ActorRef {
  id: string;
  name?: string;
  role: Role | 'system';
  nation?: NationCode;
  /** Set when the secretariat acted for a nation. */
  onBehalfOf?: NationCode;
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
  return ref;
}
