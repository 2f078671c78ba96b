import type { NationCode } from './allies';
import type { DomainEvent } from './events';
import { notificationIdentity, type NotificationKind, type NotificationRequest, type Recipient } from './notification';
import {
  isFinalNationState,
  silentNations,
  type Chase,
  type RecommendationState,
  type Round,
  type Stage,
} from './recommendation';
import { resendRequest } from './repairs';

/*
 * What mail an event makes owed. The workflow folds each event with `evolve` and asks this module
 * what it owes; the messages are sent on their own path, never while a command waits, and each is
 * checked again with `isStillDue` at the instant it would be sent.
 */

function request(
  state: RecommendationState,
  kind: NotificationKind,
  recipient: Recipient,
  about: string,
  fields: Partial<Pick<NotificationRequest, 'deadline' | 'nation' | 'note' | 'round' | 'revision'>> & { dueAt: string },
): NotificationRequest {
  return {
    identity: notificationIdentity(state.reference, kind, recipient, about),
    reference: state.reference,
    kind,
    recipient,
    revision: fields.revision ?? state.revision,
    deadline: fields.deadline ?? null,
    dueAt: fields.dueAt,
    nation: fields.nation ?? null,
    note: fields.note ?? null,
    round: fields.round ?? null,
  };
}

export function consensusCall(state: RecommendationState, round: Round): NotificationRequest[] {
  return state.nations.map((nation) =>
    request(state, 'consensus-call', { role: 'wg-member', nation }, `round-${round.number}`, {
      deadline: round.deadline,
      dueAt: round.openedAt,
      round: round.number,
    }),
  );
}

export function approvalCall(state: RecommendationState, round: Round): NotificationRequest[] {
  return state.nations.map((nation) =>
    request(state, 'approval-call', { role: 'senior-rep', nation }, `round-${round.number}`, {
      deadline: round.deadline,
      dueAt: round.openedAt,
      round: round.number,
    }),
  );
}

export function submissionNotices(state: RecommendationState): NotificationRequest[] {
  const submission = state.submission;
  if (!submission) return [];
  return state.nations.map((nation) =>
    request(state, 'submission', { role: 'director', nation }, `revision-${submission.revision}`, {
      deadline: submission.responseDue,
      dueAt: submission.submittedAt,
    }),
  );
}

/**
 * Who is told of a withdrawal: the secretariat, and everyone who was asked to act and whose matter
 * was still open — the WG delegates during consensus, the senior representatives during approval,
 * the directors of nations not yet final once submitted.
 */
export function withdrawalRecipients(before: RecommendationState): Recipient[] {
  const open: Record<Stage, Recipient[]> = {
    drafting: [],
    approved: [],
    closed: [],
    withdrawn: [],
    'wg-consensus': before.nations.map((nation) => ({ role: 'wg-member', nation })),
    'senior-approval': before.nations.map((nation) => ({ role: 'senior-rep', nation })),
    submitted: before.tracks
      .filter((t) => !isFinalNationState(t.state))
      .map((t) => ({ role: 'director', nation: t.code })),
    'follow-up': before.tracks
      .filter((t) => !isFinalNationState(t.state))
      .map((t) => ({ role: 'director', nation: t.code })),
  };
  return [{ role: 'secretariat' }, ...open[before.stage]];
}

const str = (e: DomainEvent, k: string): string | null => {
  const v = e.data[k];
  return typeof v === 'string' ? v : null;
};
const num = (e: DomainEvent, k: string): number | null => {
  const v = e.data[k];
  return typeof v === 'number' ? v : null;
};

/** The messages `e` makes owed, given the state before it and after it (`evolve(before, e)`). */
export function messagesFor(
  before: RecommendationState,
  after: RecommendationState,
  e: DomainEvent,
): NotificationRequest[] {
  switch (e.type) {
    case 'consensus-called':
      return after.consensus ? consensusCall(after, after.consensus) : [];
    case 'approval-opened':
      return after.approval ? approvalCall(after, after.approval) : [];
    case 'consensus-broken':
    case 'approval-broken': {
      const round = e.type === 'consensus-broken' ? after.consensus : after.approval;
      const nation = str(e, 'nation') as NationCode | null;
      if (!round) return [];
      const which = e.type === 'consensus-broken' ? 'consensus' : 'approval';
      return [
        request(after, 'objection', { role: 'rapporteur' }, `${which}-${round.number}/${nation ?? ''}`, {
          revision: round.revision,
          deadline: round.deadline,
          dueAt: e.at,
          nation,
          note: str(e, 'reason'),
          round: round.number,
        }),
      ];
    }
    case 'approval-held': {
      const round = num(e, 'round') ?? after.approval?.number ?? 1;
      return [request(after, 'approved', { role: 'secretariat' }, `round-${round}`, { dueAt: e.at, round })];
    }
    case 'submitted':
      return submissionNotices(after);
    case 'deadline-moved': {
      // The director of the nation whose deadline moved is told at once, with the deadline as it now is.
      const nation = str(e, 'nation') as NationCode | null;
      const chase = after.tracks.find((t) => t.code === nation)?.chase ?? null;
      if (!nation || !chase) return [];
      return [
        request(after, 'deadline-moved', { role: 'director', nation }, `${nation}/${chase.kind}/${chase.dueAt}/moved`, {
          deadline: chase.dueAt,
          dueAt: e.at,
          nation,
          note: str(e, 'reason'),
          revision: after.submission?.revision ?? after.revision,
        }),
      ];
    }
    case 'closed':
      return [
        request(after, 'closed', { role: 'secretariat' }, 'closed', { dueAt: e.at }),
        ...after.nations.map((nation) =>
          request(after, 'closed', { role: 'director', nation }, 'closed', { dueAt: e.at }),
        ),
      ];
    case 'withdrawn':
      return withdrawalRecipients(before).map((recipient) =>
        request(after, 'withdrawn', recipient, 'withdrawn', {
          dueAt: e.at,
          nation: 'nation' in recipient ? recipient.nation : null,
          note: str(e, 'reason'),
          revision: before.revision,
        }),
      );
    case 'notification-due':
      return reminders(before, e);
    case 'notification-resent': {
      const identity = str(e, 'identity');
      const n = identity ? /\/resend-(\d+)$/.exec(identity) : null;
      const original = str(e, 'resendOf');
      const resend = original && n ? resendRequest(before, original, Number(n[1]), Date.parse(e.at)) : null;
      return resend ? [resend] : [];
    }
    case 'raised':
    case 'revised':
    case 'consensus-position':
    case 'consensus-held':
    case 'approval-position':
    case 'response-deadline-passed':
    case 'national-response':
    case 'progress-reported':
    case 'nation-overdue':
    case 'notification-sent':
    case 'notification-failed':
    case 'notification-dropped':
      return [];
  }
}

/** The messages of a fired reminder (`notification-due`), to those it chases as the state was when it fired. */
function reminders(state: RecommendationState, e: DomainEvent): NotificationRequest[] {
  const kind = str(e, 'kind') as NotificationKind | null;
  const slotAt = str(e, 'slotAt');
  if (!kind || !slotAt) return [];
  const round = num(e, 'round');
  if (round !== null) {
    const r = kind === 'approval-reminder' ? state.approval : state.consensus;
    if (!r || r.number !== round) return [];
    const role = kind === 'approval-reminder' ? 'senior-rep' : 'wg-member';
    // Only those who have not yet spoken are reminded.
    return silentNations(state, r).map((nation) =>
      request(state, kind, { role, nation }, `round-${round}/${slotAt}`, {
        deadline: r.deadline,
        dueAt: slotAt,
        round,
      }),
    );
  }
  const nation = str(e, 'nation') as NationCode | null;
  const chase = str(e, 'chase') as Chase['kind'] | null;
  const dueAt = str(e, 'dueAt');
  if (!nation || !chase || !dueAt) return [];
  const about = `${nation}/${chase}/${dueAt}/${slotAt}`;
  const owed = [request(state, kind, { role: 'director', nation }, about, { deadline: dueAt, dueAt: slotAt, nation })];
  if (e.data.escalate === true)
    owed.push(request(state, 'escalation', { role: 'secretariat' }, about, { deadline: dueAt, dueAt: slotAt, nation }));
  return owed;
}

/**
 * Whether a message is still owed at the moment it would be sent. A reminder for a matter settled
 * in the meantime (the nation answered, the round ended, the recommendation was withdrawn) is dropped;
 * the workflow asks before it hands a batch over, and the delivery asks again before each message.
 */
export function isStillDue(state: RecommendationState, request: NotificationRequest): boolean {
  // A resend is the operator's decision, even of a message no longer relevant.
  if (request.resendOf !== undefined) return true;
  const track = request.nation === null ? undefined : state.tracks.find((t) => t.code === request.nation);
  const inFollowUp = state.stage === 'submitted' || state.stage === 'follow-up';
  // The chase the message is about must still be running: same kind and same due date (a progress
  // report restarts the chase with a new due date; an acceptance replaces the response chase).
  const chasing = (kind: Chase['kind'] | null): boolean =>
    inFollowUp &&
    track !== undefined &&
    track.chase !== null &&
    (kind === null || track.chase.kind === kind) &&
    track.chase.dueAt === request.deadline &&
    !isFinalNationState(track.state);
  const openRound = (round: Round | null, stage: Stage): round is Round =>
    state.stage === stage && round !== null && round.number === request.round && round.outcome === null;
  const silentIn = (round: Round | null, stage: Stage, role: Recipient['role']): boolean => {
    if (!openRound(round, stage)) return false;
    const recipient = request.recipient;
    const nation = 'nation' in recipient ? recipient.nation : null;
    return recipient.role !== role || !round.positions.some((p) => p.nation === nation);
  };
  switch (request.kind) {
    case 'response-reminder':
    case 'response-overdue':
      return chasing('response');
    case 'progress-request':
    case 'progress-overdue':
      return chasing('progress');
    case 'escalation':
      return chasing(null);
    // A moved deadline is announced while it is still the deadline (moved again, the later notice says so).
    case 'deadline-moved':
      return chasing(null);
    // The call circulates the text while its round is open, to everyone, even to whoever spoke first.
    case 'consensus-call':
      return openRound(state.consensus, 'wg-consensus');
    case 'approval-call':
      return openRound(state.approval, 'senior-approval');
    // A reminder goes only to those who have not spoken.
    case 'consensus-reminder':
      return silentIn(state.consensus, 'wg-consensus', 'wg-member');
    case 'approval-reminder':
      return silentIn(state.approval, 'senior-approval', 'senior-rep');
    case 'submission':
      return inFollowUp;
    case 'objection':
    case 'approved':
    case 'withdrawn':
    case 'closed':
      return true;
  }
}
