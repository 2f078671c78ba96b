import type { NationCode } from './allies';

export const NOTIFICATION_KINDS = [
  'submission',
  'response-reminder',
  'response-overdue',
  'escalation',
  'progress-request',
  'progress-overdue',
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

export function notificationIdentity(reference: string, kind: NotificationKind, recipient: Recipient, about: string): string {
  return `${reference}/${kind}/${recipientKey(recipient)}/${about}`;
}
