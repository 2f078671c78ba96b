import type { NationCode } from './allies';
import type { RecordedEvent } from './events';
import {
  computeOutcome,
  FINAL_DECISIONS,
  newRecommendation,
  type Decision,
  type NationTrack,
  type Outcome,
  type PositionKind,
  type ProgressStatus,
  type RaiseInput,
  type RecommendationState,
  type Round,
} from './recommendation';
import { chaseSlots } from './schedule';
import { durationMs, instantMs } from './time';
import { toView, type RecommendationView } from './view';

/**
 * The recommendation as it stood at `asOf`, rebuilt from its audit trail alone: which text was under
 * silence, who had spoken or answered, which deadlines ran. Pure: events in, view out. Null when
 * nothing had been raised by then.
 */
export function replay(events: readonly RecordedEvent[], asOf: number): RecommendationView | null {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  let state: RecommendationState | null = null;
  for (const e of ordered) {
    // The log is in seq order and time never runs backwards in a workflow: stop at the first event after asOf.
    if (instantMs(e.at) > asOf) break;
    state = fold(state, e);
  }
  if (!state) return null;
  return toView(withReminderCursors(state, asOf), asOf);
}

const str = (e: RecordedEvent, k: string): string => {
  const v = e.data[k];
  return typeof v === 'string' ? v : '';
};
const num = (e: RecordedEvent, k: string): number | null => {
  const v = e.data[k];
  return typeof v === 'number' ? v : null;
};
const strOrNull = (e: RecordedEvent, k: string): string | null => {
  const v = e.data[k];
  return typeof v === 'string' ? v : null;
};

function newRound(e: RecordedEvent): Round {
  return {
    number: num(e, 'round') ?? 1,
    revision: e.revision,
    openedAt: e.at,
    deadline: str(e, 'deadline'),
    positions: [],
    outcome: null,
    nextReminder: 0,
  };
}

function withPosition(round: Round | null, e: RecordedEvent): Round | null {
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

function mapTrack(state: RecommendationState, nation: string, f: (t: NationTrack) => NationTrack): NationTrack[] {
  return state.tracks.map((t) => (t.code === nation ? f(t) : t));
}

function fold(state: RecommendationState | null, e: RecordedEvent): RecommendationState | null {
  if (e.type === 'raised') {
    return state ?? newRecommendation(e.reference, e.data as unknown as RaiseInput, e.actor, e.at);
  }
  if (!state) return null;
  const s: RecommendationState = { ...state, updatedAt: e.at };
  switch (e.type) {
    case 'revised': {
      const number = num(e, 'number') ?? state.revision + 1;
      return {
        ...s,
        title: str(e, 'title'),
        summary: str(e, 'summary'),
        body: str(e, 'body'),
        revision: number,
        revisions: [...state.revisions, { number, note: str(e, 'note'), at: e.at, by: e.actor }],
      };
    }
    case 'consensus-called':
      return { ...s, stage: 'wg-consensus', consensus: newRound(e) };
    case 'consensus-position':
      return { ...s, consensus: withPosition(state.consensus, e) };
    case 'approval-position':
      return { ...s, approval: withPosition(state.approval, e) };
    case 'consensus-broken':
      return { ...s, stage: 'drafting', consensus: withOutcome(state.consensus, 'broken') };
    case 'approval-broken':
      return { ...s, stage: 'drafting', approval: withOutcome(state.approval, 'broken') };
    case 'consensus-held':
      return { ...s, consensus: withOutcome(state.consensus, 'held') };
    case 'approval-opened':
      return { ...s, stage: 'senior-approval', approval: newRound(e) };
    case 'approval-held':
      return { ...s, stage: 'approved', approval: withOutcome(state.approval, 'held') };
    case 'submitted': {
      const responseDue = str(e, 'responseDue');
      return {
        ...s,
        stage: 'submitted',
        submission: {
          revision: num(e, 'revision') ?? e.revision,
          submittedAt: str(e, 'submittedAt') || e.at,
          responseDue,
        },
        tracks: state.nations.map((code) => ({
          code,
          state: 'awaiting-response',
          response: null,
          progress: [],
          chase: { kind: 'response', dueAt: responseDue, next: 0 },
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
      const tracks = mapTrack(state, str(e, 'nation'), (t) => {
        if (decision === 'under-consideration') return { ...t, state: 'under-consideration', response };
        if (decision === 'not-accepted') return { ...t, state: 'not-accepted', response, chase: null };
        const dueAt = new Date(instantMs(e.at) + durationMs(state.policy.followUpEvery)).toISOString();
        return { ...t, state: decision, response, chase: { kind: 'progress', dueAt, next: 0 }, escalated: false };
      });
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
      const tracks = mapTrack(state, str(e, 'nation'), (t) => {
        const progress = [...t.progress, report];
        if (status === 'in-progress') {
          const dueAt = new Date(instantMs(e.at) + durationMs(state.policy.followUpEvery)).toISOString();
          return { ...t, progress, chase: { kind: 'progress', dueAt, next: 0 }, escalated: false };
        }
        return { ...t, progress, state: status, chase: null };
      });
      return { ...s, tracks };
    }
    case 'deadline-moved': {
      // Best effort: a moved nation due date, or a moved silence deadline.
      const nation = strOrNull(e, 'nation');
      const dueAt = strOrNull(e, 'dueAt') ?? strOrNull(e, 'deadline');
      if (!dueAt) return s;
      if (nation)
        return { ...s, tracks: mapTrack(state, nation, (t) => (t.chase ? { ...t, chase: { ...t.chase, dueAt } } : t)) };
      if (state.stage === 'wg-consensus' && state.consensus)
        return { ...s, consensus: { ...state.consensus, deadline: dueAt } };
      if (state.stage === 'senior-approval' && state.approval)
        return { ...s, approval: { ...state.approval, deadline: dueAt } };
      return s;
    }
    case 'closed': {
      const outcome = (e.data.outcome as Outcome | undefined) ?? computeOutcome(state.tracks, str(e, 'reason'));
      return {
        ...s,
        stage: 'closed',
        closedAt: e.at,
        outcome,
        tracks: state.tracks.map((t) => ({ ...t, chase: null })),
      };
    }
    case 'withdrawn':
      return {
        ...s,
        stage: 'withdrawn',
        withdrawal: { reason: str(e, 'reason'), at: e.at, by: e.actor },
        tracks: state.tracks.map((t) => ({ ...t, chase: null })),
      };
    case 'nation-overdue':
    case 'notification-due':
    case 'notification-sent':
    case 'notification-failed':
    case 'notification-resent':
      // Reminders and mail change no state the view shows (beyond the cursors set below).
      return state;
  }
}

/** Reminder slots that had passed by `asOf` count as sent, so the view shows the next one. */
function withReminderCursors(state: RecommendationState, asOf: number): RecommendationState {
  return {
    ...state,
    tracks: state.tracks.map((t) =>
      t.chase
        ? {
            ...t,
            chase: { ...t.chase, next: chaseSlots(t.chase, state.policy).filter((slot) => slot.at <= asOf).length },
          }
        : t,
    ),
  };
}
