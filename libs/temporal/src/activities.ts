import type { DeliveryContext, DeliveryResult, NotificationRequest, RecordedEvent, RecommendationView } from '@app/domain';

export type { DeliveryContext, DeliveryResult };

export interface ProjectInput {
  reference: string;
  events: RecordedEvent[];
  view: RecommendationView;
}

/**
 * The activities the lifecycle calls. Workflows import this type only; the worker provides the
 * implementation as an injectable class whose bound methods become the activities object.
 */
export interface LifecycleActivities {
  /** Writes events and the read model to PostgreSQL, idempotently (unique on reference + seq). */
  project(input: ProjectInput): Promise<void>;
  /** Sends each message once (outbox keyed by identity) and reports what happened to each. */
  deliver(input: { requests: NotificationRequest[]; context: DeliveryContext }): Promise<DeliveryResult[]>;
}
