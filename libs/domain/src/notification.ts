import type { Language, NationCode, WorkingGroup } from './allies';

export const NOTIFICATION_KINDS = [
  'submission',
  'response-reminder',
  'response-overdue',
  'escalation',
  'progress-request',
  'progress-overdue',
  'deadline-moved',
  'consensus-call',
  'consensus-reminder',
  'objection',
  'approval-call',
  'approval-reminder',
  'approved',
  'withdrawn',
  'closed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Who a message goes to; addresses are looked up in the directory when it is sent. */
export type Recipient =
  | { role: 'director'; nation: NationCode }
  | { role: 'senior-rep'; nation: NationCode }
  | { role: 'wg-member'; nation: NationCode }
  | { role: 'secretariat' }
  | { role: 'rapporteur' };

export function recipientKey(r: Recipient): string {
  return r.role === 'secretariat' || r.role === 'rapporteur' ? r.role : `${r.role}-${r.nation}`;
}

/**
 * One message the process owes someone. Its identity (recommendation, kind, recipient, and the due
 * date or round it is about) is what makes a retried or replayed send recognisable as the same message.
 */
export interface NotificationRequest {
  identity: string;
  reference: string;
  kind: NotificationKind;
  recipient: Recipient;
  /** The revision the message is about. */
  revision: number;
  /** The deadline the message is about (silence, response or report), if any. */
  deadline: string | null;
  /** When it was due to be sent (a reminder's slot); the send may be later after an outage. */
  dueAt: string;
  /** The nation the matter concerns (for an escalation, the late nation). */
  nation: NationCode | null;
  /** Free text the message quotes: an objection's reason, a withdrawal's reason. */
  note: string | null;
  round: number | null;
  /** Set on a resend an operator asked for: the identity of the message sent again. Always still due. */
  resendOf?: string;
}

export function notificationIdentity(
  reference: string,
  kind: NotificationKind,
  recipient: Recipient,
  about: string,
): string {
  return `${reference}/${kind}/${recipientKey(recipient)}/${about}`;
}

/**
 * What a message needs from the recommendation beyond the request itself. The delivery reads it from
 * PostgreSQL (the text of the request's revision, by hash), so it never rides in Temporal history.
 */
export interface DeliveryContext {
  reference: string;
  title: string;
  summary: string;
  /** Markdown as written. */
  body: string | null;
  workingGroup: WorkingGroup;
  /** The language of the original text; the rapporteur is written to in it. */
  language: Language;
  /** An email address, or a name; an objection goes to the secretariat when it is not an address. */
  rapporteur: string | null;
  /** Base URL of the public API, so "how to respond" shows a full URL; a bare path when absent. */
  apiBaseUrl?: string | null;
}

/**
 * What became of one notification: the audit trail records it as notification-sent (sent, or skipped
 * for want of an address), notification-failed, or notification-dropped (no longer owed when its turn came).
 */
export interface DeliveryResult {
  identity: string;
  status: 'sent' | 'skipped' | 'failed' | 'dropped';
  address: string | null;
  messageId: string | null;
  sentAt: string | null;
  error: string | null;
}
