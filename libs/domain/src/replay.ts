import type { RecordedEvent } from './events';
import { evolve, initial } from './evolve';
import type { RecommendationState } from './recommendation';
import { latestDueSlot, roundSlots, slotsDueBy } from './slots';
import { instantMs } from './time';
import { toView, type StateView } from './view';

/**
 * The recommendation as it stood at `asOf`, rebuilt from its audit trail alone with the same
 * `evolve` the workflow runs: which text was under silence, who had spoken or answered, which
 * deadlines ran. Pure: events in, view out (the text is joined in by the caller, by revision).
 * Null when nothing had been raised by then.
 */
export function replay(events: readonly RecordedEvent[], asOf: number): StateView | null {
  const state = replayState(events, asOf);
  return state ? toView(state, asOf) : null;
}

/** The state at `asOf`, reminder cursors included (what `replay` shows, and what a rebuild stores). */
export function replayState(events: readonly RecordedEvent[], asOf: number): RecommendationState | null {
  const state = stateAsOf(events, asOf);
  return state ? withReminderCursors(state, asOf) : null;
}

/** The state folded from every event at or before `asOf`. */
export function stateAsOf(events: readonly RecordedEvent[], asOf: number): RecommendationState | null {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  let state: RecommendationState | null = null;
  for (const e of ordered) {
    // The log is in seq order and time never runs backwards in a workflow: stop at the first event after asOf.
    if (instantMs(e.at) > asOf) break;
    state = state === null ? (e.type === 'raised' ? initial(e.reference, e) : null) : evolve(state, e);
  }
  return state;
}

/**
 * Reminder slots that had passed by `asOf` count as fired, so the view shows the next one. The
 * current code records each fired reminder (`notification-due`); v1 trails did not, and for them
 * this is what moves the cursors.
 */
function withReminderCursors(state: RecommendationState, asOf: number): RecommendationState {
  const round = <R extends RecommendationState['consensus']>(r: R, kind: 'consensus-reminder' | 'approval-reminder'): R => {
    if (!r || r.outcome !== null) return r;
    const slots = roundSlots(r, state.policy, kind);
    const latest = latestDueSlot(slots, r.nextReminder, asOf);
    return latest === null ? r : { ...r, nextReminder: latest + 1 };
  };
  return {
    ...state,
    consensus: round(state.consensus, 'consensus-reminder'),
    approval: round(state.approval, 'approval-reminder'),
    tracks: state.tracks.map((t) =>
      t.chase ? { ...t, chase: { ...t.chase, next: Math.max(t.chase.next, slotsDueBy(t.chase, state.policy, asOf)) } } : t,
    ),
  };
}
