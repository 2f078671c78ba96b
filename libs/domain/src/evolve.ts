import type { Language, NationCode, WorkingGroup } from './allies';
import { deadlineAfter, describePlacement, quietFor, type Quiet, type WorkingCalendar } from './calendar';
import type { DomainEvent } from './events';
import type { Policy } from './policy';
import {
  computeOutcome,
  FINAL_DECISIONS,
  newRecommendation,
  RECENT_COMMANDS,
  type Chase,
  type Decision,
  type NationTrack,
  type Outcome,
  type PositionKind,
  type ProgressStatus,
  type RecommendationState,
  type Round,
} from './recommendation';
import { slotsDueBy } from './slots';
import { instantMs, toIso } from './time';

/*
 * The one transition function. The workflow decides a command into events and folds them with
 * `evolve`; the `asOf` replay, the projection's stored state and the rebuild fold the audit trail
 * with the same function, so the live state and any rebuilt one cannot disagree.
 */

const str = (e: DomainEvent, k: string): string => {
  const v = e.data[k];
  return typeof v === 'string' ? v : '';
};
const strOrNull = (e: DomainEvent, k: string): string | null => {
  const v = e.data[k];
  return typeof v === 'string' ? v : null;
};
const num = (e: DomainEvent, k: string): number | null => {
  const v = e.data[k];
  return typeof v === 'number' ? v : null;
};

/** The state a `raised` event starts. */
export function initial(reference: string, raised: DomainEvent): RecommendationState {
  const d = raised.data;
  const state = newRecommendation(
    reference,
    {
      title: str(raised, 'title'),
      textHash: str(raised, 'textHash'),
      workingGroup: d.workingGroup as WorkingGroup,
      language: d.language as Language,
      nations: [...(d.nations as NationCode[])],
      policy: d.policy as Policy,
      rapporteur: strOrNull(raised, 'rapporteur'),
      calendar: (d.calendar as WorkingCalendar | undefined) ?? null,
      priority: d.priority === true,
    },
    raised.actor,
    raised.at,
  );
  return withCommand(state, raised);
}

function withCommand(state: RecommendationState, e: DomainEvent): RecommendationState {
  if (e.commandId === undefined || state.recentCommands.includes(e.commandId)) return state;
  return { ...state, recentCommands: [...state.recentCommands, e.commandId].slice(-RECENT_COMMANDS) };
}

/** Events that record what the process did about time and mail: they move no date a person sees. */
const BOOKKEEPING: ReadonlySet<DomainEvent['type']> = new Set([
  'nation-overdue',
  'notification-due',
  'notification-sent',
  'notification-failed',
  'notification-dropped',
]);

/** The state after `e`. Pure and total: an event that does not fit leaves the state as it was. */
export function evolve(state: RecommendationState, e: DomainEvent): RecommendationState {
  return withCommand(transition(BOOKKEEPING.has(e.type) ? state : { ...state, updatedAt: e.at }, e), e);
}

function newRound(e: DomainEvent): Round {
  return {
    number: num(e, 'round') ?? 1,
    revision: e.revision,
    openedAt: e.at,
    deadline: str(e, 'deadline'),
    ...(strOrNull(e, 'deadlineRule') ? { deadlineRule: strOrNull(e, 'deadlineRule') } : {}),
    positions: [],
    outcome: null,
    nextReminder: 0,
  };
}

function withPosition(round: Round | null, e: DomainEvent): Round | null {
  if (!round) return null;
  const nation = str(e, 'nation') as NationCode;
  const position = {
    nation,
    position: str(e, 'position') as PositionKind,
    comment: str(e, 'comment'),
    at: e.at,
    by: e.actor,
  };
  return { ...round, positions: [...round.positions.filter((p) => p.nation !== nation), position] };
}

function withOutcome(round: Round | null, outcome: Round['outcome']): Round | null {
  return round ? { ...round, outcome } : null;
}

function mapTrack(
  state: RecommendationState,
  nation: string | null,
  f: (t: NationTrack) => NationTrack,
): NationTrack[] {
  return state.tracks.map((t) => (t.code === nation ? f(t) : t));
}

function progressChase(at: string, s: RecommendationState): Chase {
  const placed = deadlineAfter(instantMs(at), s.policy.followUpEvery, s.policy, s.calendar);
  const rule = s.calendar ? describePlacement(placed, s.calendar) : null;
  return { kind: 'progress', dueAt: toIso(placed.at), ...(rule ? { dueRule: rule } : {}), next: 0 };
}

/**
 * A nation's chase moved to a new due date. Slots of the new schedule already past at `at` count as
 * sent, so moving a deadline never fires a burst of catch-up reminders; the escalation starts over.
 */
export function movedChase(chase: Chase, dueAt: string, policy: Policy, at: number, quiet: Quiet | null = null): Chase {
  const { dueRule: _placed, ...rest } = chase;
  const moved: Chase = { ...rest, dueAt: toIso(instantMs(dueAt)), next: 0 };
  return { ...moved, next: slotsDueBy(moved, policy, at, quiet) };
}

function transition(s: RecommendationState, e: DomainEvent): RecommendationState {
  switch (e.type) {
    case 'raised':
      return s; // starts a state (see `initial`); a second one changes nothing
    case 'revised': {
      const number = num(e, 'number') ?? s.revision + 1;
      return {
        ...s,
        title: str(e, 'title'),
        textHash: str(e, 'textHash'),
        revision: number,
        revisions: [...s.revisions, { number, note: str(e, 'note'), at: e.at, by: e.actor }],
      };
    }
    case 'consensus-called':
      return { ...s, stage: 'wg-consensus', consensus: newRound(e) };
    case 'consensus-position':
      return { ...s, consensus: withPosition(s.consensus, e) };
    case 'consensus-broken':
      return { ...s, stage: 'drafting', consensus: withOutcome(s.consensus, 'broken') };
    case 'consensus-held':
      return { ...s, consensus: withOutcome(s.consensus, 'held') };
    case 'approval-opened':
      return { ...s, stage: 'senior-approval', approval: newRound(e) };
    case 'approval-position':
      return { ...s, approval: withPosition(s.approval, e) };
    case 'approval-broken':
      return { ...s, stage: 'drafting', approval: withOutcome(s.approval, 'broken') };
    case 'approval-held':
      return { ...s, stage: 'approved', approval: withOutcome(s.approval, 'held') };
    case 'submitted': {
      const responseDue = str(e, 'responseDue');
      const rule = strOrNull(e, 'responseDueRule');
      return {
        ...s,
        stage: 'submitted',
        submission: {
          revision: num(e, 'revision') ?? e.revision,
          submittedAt: str(e, 'submittedAt') || e.at,
          responseDue,
          ...(rule ? { responseDueRule: rule } : {}),
        },
        tracks: s.nations.map((code) => ({
          code,
          state: 'awaiting-response',
          response: null,
          progress: [],
          chase: { kind: 'response', dueAt: responseDue, ...(rule ? { dueRule: rule } : {}), next: 0 },
          escalated: false,
        })),
      };
    }
    case 'response-deadline-passed':
      return { ...s, stage: 'follow-up' };
    case 'national-response': {
      const decision = str(e, 'decision') as Decision;
      const response = {
        decision,
        comment: str(e, 'comment'),
        plannedCompletion: strOrNull(e, 'plannedCompletion'),
        at: e.at,
        by: e.actor,
      };
      const tracks = mapTrack(s, strOrNull(e, 'nation'), (t): NationTrack => {
        if (decision === 'under-consideration') return { ...t, state: 'under-consideration', response };
        if (decision === 'not-accepted') return { ...t, state: 'not-accepted', response, chase: null };
        // An accepting nation is next chased for its first progress report.
        return { ...t, state: decision, response, chase: progressChase(e.at, s), escalated: false };
      });
      // Submitted moves on to follow-up once every nation has answered finally.
      const allFinal = tracks.every((t) => t.response !== null && FINAL_DECISIONS.includes(t.response.decision));
      return { ...s, tracks, stage: s.stage === 'submitted' && allFinal ? 'follow-up' : s.stage };
    }
    case 'progress-reported': {
      const status = str(e, 'status') as ProgressStatus;
      const report = {
        status,
        percent: num(e, 'percent'),
        comment: str(e, 'comment'),
        evidenceUrl: strOrNull(e, 'evidenceUrl'),
        at: e.at,
        by: e.actor,
      };
      const tracks = mapTrack(s, strOrNull(e, 'nation'), (t): NationTrack => {
        const progress = [...t.progress, report];
        if (status === 'in-progress') return { ...t, progress, chase: progressChase(e.at, s), escalated: false };
        return { ...t, progress, state: status, chase: null };
      });
      return { ...s, tracks };
    }
    case 'notification-due':
      return reminderFired(s, e);
    case 'deadline-moved': {
      const dueAt = strOrNull(e, 'dueAt');
      if (!dueAt) return s;
      const at = instantMs(e.at);
      return {
        ...s,
        tracks: mapTrack(s, strOrNull(e, 'nation'), (t) =>
          t.chase
            ? { ...t, chase: movedChase(t.chase, dueAt, s.policy, at, quietFor(s, t.code)), escalated: false }
            : t,
        ),
      };
    }
    case 'closed': {
      const outcome = (e.data.outcome as Outcome | undefined) ?? computeOutcome(s.tracks, str(e, 'reason'));
      return { ...s, stage: 'closed', closedAt: e.at, outcome, tracks: s.tracks.map((t) => ({ ...t, chase: null })) };
    }
    case 'withdrawn':
      return {
        ...s,
        stage: 'withdrawn',
        withdrawal: { reason: str(e, 'reason'), at: e.at, by: e.actor },
        tracks: s.tracks.map((t) => ({ ...t, chase: null })),
      };
    case 'notification-resent': {
      const original = strOrNull(e, 'resendOf');
      const n = /\/resend-(\d+)$/.exec(str(e, 'identity'));
      if (!original || !n) return s;
      return { ...s, resends: { ...(s.resends ?? {}), [original]: Number(n[1]) } };
    }
    case 'nation-overdue':
    case 'notification-sent':
    case 'notification-failed':
    case 'notification-dropped':
      return s;
  }
}

/** A reminder fired: the cursor of its round or chase moves past the slot (`data.slot`). */
function reminderFired(s: RecommendationState, e: DomainEvent): RecommendationState {
  const slot = num(e, 'slot');
  if (slot === null) return s;
  const round = num(e, 'round');
  if (round !== null) {
    const fire = (r: Round | null): Round | null => (r && r.number === round ? { ...r, nextReminder: slot + 1 } : r);
    return str(e, 'kind') === 'approval-reminder'
      ? { ...s, approval: fire(s.approval) }
      : { ...s, consensus: fire(s.consensus) };
  }
  const escalate = e.data.escalate === true;
  return {
    ...s,
    tracks: mapTrack(s, strOrNull(e, 'nation'), (t) =>
      t.chase && t.chase.dueAt === strOrNull(e, 'dueAt')
        ? { ...t, chase: { ...t.chase, next: slot + 1 }, escalated: t.escalated || escalate }
        : t,
    ),
  };
}

/** Folds a trail from its `raised` event; null when it has none. */
export function fold(reference: string, events: readonly DomainEvent[]): RecommendationState | null {
  let state: RecommendationState | null = null;
  for (const e of events)
    state = state === null ? (e.type === 'raised' ? initial(reference, e) : null) : evolve(state, e);
  return state;
}
