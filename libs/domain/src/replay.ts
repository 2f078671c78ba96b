import type { RecordedEvent } from './events';
import { evolve, initial } from './evolve';
import type { RecommendationState } from './recommendation';
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

/** The state folded from every event at or before `asOf` (what `replay` shows, and what a rebuild stores). */
export function replayState(events: readonly RecordedEvent[], asOf: number): RecommendationState | null {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  let state: RecommendationState | null = null;
  for (const e of ordered) {
    // The log is in seq order and time never runs backwards in a workflow: stop at the first event after asOf.
    if (instantMs(e.at) > asOf) break;
    state = state === null ? (e.type === 'raised' ? initial(e.reference, e) : null) : evolve(state, e);
  }
  return state;
}
