import type { Language, NotificationRequest, RecordedEvent, RecommendationView, WorkingGroup } from '@app/domain';

export interface ProjectInput {
  reference: string;
  events: RecordedEvent[];
  view: RecommendationView;
}

/** What a message needs from the recommendation beyond the request itself. */
export interface DeliveryContext {
  reference: string;
  title: string;
  summary: string;
  /** Only for batches that carry the text to directors (submission); omitted otherwise to keep history small. */
  body: string | null;
  workingGroup: WorkingGroup;
  language: Language;
  rapporteur: string | null;
}

export interface DeliveryResult {
  identity: string;
  status: 'sent' | 'skipped' | 'failed';
  address: string | null;
  messageId: string | null;
  sentAt: string | null;
  error: string | null;
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
