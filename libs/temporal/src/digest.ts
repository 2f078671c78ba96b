import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The secretariat's weekly digest, as operators see it in the Temporal UI and CLI. */
export const DIGEST_WORKFLOW_TYPE = 'weeklyDigest';
export const DIGEST_SCHEDULE_ID = 'dipb-weekly-digest';
/** Every Monday at 08:00, Brussels time (the schedule follows CET/CEST itself). */
export const DIGEST_SCHEDULE_SPEC = { dayOfWeek: 'MONDAY', hour: 8, minute: 0 } as const;
export const DIGEST_TIME_ZONE = 'Europe/Brussels';

/** Set by Temporal on every run a schedule starts: the nominal time, the same on a late or caught-up run. */
export const SCHEDULED_START_TIME = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

export interface DigestInput {
  /** The instant the digest is for: the schedule's nominal time, or the run's start for a manual run. */
  scheduledAt: string;
}

export interface DigestResult {
  /** ISO week (Brussels) of `scheduledAt`, e.g. 2026-W49: the message's identity. */
  week: string;
  identity: string;
  /** The week covered (from, to) and the end of "falls due soon" (horizon); instants in UTC. */
  window: { from: string; to: string; horizon: string };
  /** `sent` by this run; `already-sent` when an earlier run of the same week sent it. */
  status: 'sent' | 'already-sent';
  address: string | null;
  messageId: string | null;
  sentAt: string | null;
}

/** The digest's activity: gathers the week's figures from PostgreSQL and sends the message once per week. */
export interface DigestActivities {
  sendWeeklyDigest(input: DigestInput): Promise<DigestResult>;
}
