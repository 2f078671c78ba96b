import type { DeliveryContext, DeliveryResult, NotificationRequest, RecordedEvent } from '@app/domain';

export type { DeliveryContext, DeliveryResult };

/** New events for PostgreSQL; never the text, never the state (the projection folds it with `evolve`). */
export interface PersistInput {
  reference: string;
  events: RecordedEvent[];
}

/** Messages owed for one recommendation; the delivery reads their text from PostgreSQL. */
export interface NotifyInput {
  reference: string;
  requests: NotificationRequest[];
}

/**
 * Messages planned ahead of their due instant, to be composed and written to the outbox now; and
 * those prepared earlier that the plan no longer holds, to be dropped.
 */
export interface PrepareInput {
  reference: string;
  requests: NotificationRequest[];
  release: string[];
}

/**
 * The activities the lifecycle calls. Workflows import this type only; the worker provides the
 * implementation as an injectable class whose bound methods become the activities object.
 */
export interface LifecycleActivities {
  /** Appends events, derives rows and folds the state into the read model, idempotently by seq (one transaction). */
  persist(input: PersistInput): Promise<{ version: number }>;
  /** Sends each message once (outbox keyed by identity), each checked against the current state first. */
  notify(input: NotifyInput): Promise<DeliveryResult[]>;
  /** Composes planned messages ahead (outbox rows with the message ready) and drops released ones. */
  prepare(input: PrepareInput): Promise<{ prepared: number; released: number }>;
}

/** One subscription's delivery loop, for a while (docs/design.md, "Webhooks"). */
export interface WebhookRoundInput {
  subscriptionId: string;
}

/**
 * How a round of a subscription's delivery loop ended:
 * - `idle`: everything selected so far delivered; the loop goes on at once (the round waited for commits);
 * - `failing`: an event was refused or not answered; the loop waits `retryInMs` and tries it again;
 * - `stopped`: the subscription is inactive or gone; `disabled` when this round gave up on it.
 */
export type WebhookRound =
  | { kind: 'idle'; delivered: number }
  | { kind: 'failing'; delivered: number; retryInMs: number; failures: number; error: string }
  | { kind: 'stopped'; delivered: number; reason: 'inactive' | 'deleted' | 'disabled' };

export interface WebhookActivities {
  /** Delivers the subscription's events in feed order, one at a time, until it has to wait or stop. */
  deliverWebhooks(input: WebhookRoundInput): Promise<WebhookRound>;
  /** Tells the secretariat, once, that a subscription was disabled after failing too long. */
  noticeWebhookDisabled(input: WebhookRoundInput): Promise<{ sent: boolean }>;
}
