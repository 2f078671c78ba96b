import type { NationCode } from './allies';
import { NOTIFICATION_KINDS, type NotificationKind, type NotificationRequest, type Recipient } from './notification';
import type { RecommendationState, Round } from './recommendation';
import { toIso } from './time';

/** What an identity (`<ref>/<kind>/<recipient>/<about>`) says about the message it names. */
export interface ParsedIdentity {
  reference: string;
  kind: NotificationKind;
  recipient: Recipient;
  about: string;
}

const RECIPIENT = /^(director|senior-rep|wg-member)-([A-Z]{3})$/;
const RESEND = /\/resend-\d+$/;

/** The original a resend was made from (a resend of a resend is a resend of the original). */
export function originalIdentity(identity: string): string {
  return identity.replace(RESEND, '');
}

export function parseNotificationIdentity(identity: string): ParsedIdentity | null {
  const [reference, kind, who, ...rest] = originalIdentity(identity).split('/');
  if (!reference || !kind || !who || rest.length === 0) return null;
  if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) return null;
  let recipient: Recipient;
  if (who === 'secretariat' || who === 'rapporteur') recipient = { role: who };
  else {
    const m = RECIPIENT.exec(who);
    if (!m) return null;
    recipient = { role: m[1] as 'director' | 'senior-rep' | 'wg-member', nation: m[2] as NationCode };
  }
  return { reference, kind: kind as NotificationKind, recipient, about: rest.join('/') };
}

function roundNumber(about: string): number | null {
  const m = /^(?:round|consensus|approval)-(\d+)/.exec(about);
  return m ? Number(m[1]) : null;
}

function roundOf(state: RecommendationState, kind: NotificationKind, about: string): Round | null {
  const consensus = kind.startsWith('consensus') || about.startsWith('consensus-');
  const round = consensus ? state.consensus : state.approval;
  return round && round.number === roundNumber(about) ? round : null;
}

/**
 * A new request for the message `identity` named, to be sent again (addressed per the directory as
 * it is now). Its identity is the original's + `/resend-<n>`, so the outbox sends it exactly once.
 * Fields the identity does not carry (deadline, quoted note) are taken from the state where it still
 * knows them. Null when the identity is not one of this recommendation's.
 */
export function resendRequest(
  state: RecommendationState,
  identity: string,
  n: number,
  now: number,
): NotificationRequest | null {
  const parsed = parseNotificationIdentity(identity);
  if (!parsed || parsed.reference !== state.reference) return null;
  const { kind, recipient, about } = parsed;
  const recipientNation = 'nation' in recipient ? recipient.nation : null;
  let deadline: string | null = null;
  let nation: NationCode | null = recipientNation;
  let note: string | null = null;
  let round: number | null = null;
  let revision = state.revision;
  switch (kind) {
    case 'submission':
      deadline = state.submission?.responseDue ?? null;
      revision = state.submission?.revision ?? state.revision;
      break;
    case 'response-reminder':
    case 'response-overdue':
    case 'progress-request':
    case 'progress-overdue':
    case 'deadline-moved':
    case 'escalation': {
      // about = <nation>/<chase kind>/<due date>/<slot>
      const [n0, , dueAt] = about.split('/');
      nation = (n0 as NationCode | undefined) ?? recipientNation;
      deadline = dueAt ?? null;
      break;
    }
    case 'consensus-call':
    case 'consensus-reminder':
    case 'approval-call':
    case 'approval-reminder':
    case 'approved': {
      round = roundNumber(about);
      const r = roundOf(state, kind, about);
      if (r) {
        deadline = r.deadline;
        revision = r.revision;
      }
      break;
    }
    case 'objection': {
      // about = consensus-<n>/<nation> or approval-<n>/<nation>
      round = roundNumber(about);
      nation = (about.split('/')[1] as NationCode | undefined) ?? null;
      const r = roundOf(state, kind, about);
      if (r) {
        deadline = r.deadline;
        revision = r.revision;
        note = r.positions.find((p) => p.nation === nation)?.comment ?? null;
      }
      break;
    }
    case 'withdrawn':
      note = state.withdrawal?.reason ?? null;
      break;
    case 'closed':
      break;
  }
  const original = originalIdentity(identity);
  return {
    identity: `${original}/resend-${n}`,
    reference: state.reference,
    kind,
    recipient,
    revision,
    deadline,
    dueAt: toIso(now),
    nation,
    note,
    round,
    resendOf: original,
  };
}
