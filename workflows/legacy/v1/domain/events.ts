// FROZEN copy of libs/domain/src/events.ts as the v1 lifecycle ran it (see ../recommendation-lifecycle.v1.ts).
// Histories recorded by v1 replay against this code: never change what it decides.
import type { ActorRef } from './actor';

export const EVENT_TYPES = [
  'raised',
  'revised',
  'consensus-called',
  'consensus-position',
  'consensus-held',
  'consensus-broken',
  'approval-opened',
  'approval-position',
  'approval-held',
  'approval-broken',
  'submitted',
  'response-deadline-passed',
  'national-response',
  'progress-reported',
  'nation-overdue',
  'deadline-moved',
  'closed',
  'withdrawn',
  'notification-due',
  'notification-sent',
  'notification-failed',
  'notification-resent',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One entry of the audit trail, before the workflow numbers it. */
export interface DomainEvent {
  type: EventType;
  at: string;
  actor: ActorRef;
  revision: number;
  data: Record<string, unknown>;
}

/** An event numbered by its workflow: (reference, seq) is unique, so a retried projection writes it once. */
export interface RecordedEvent extends DomainEvent {
  seq: number;
  reference: string;
}
