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
  'notification-dropped',
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
  /** The command that caused it (its idempotency id), so a retried command is recognised, even after continue-as-new. */
  commandId?: string;
}

/** An event numbered by its workflow: (reference, seq) is unique, so a retried projection writes it once. */
export interface RecordedEvent extends DomainEvent {
  seq: number;
  reference: string;
}
