import type { RecommendationState } from '@app/domain';
import type { RecommendationState as V1State } from './domain';

/**
 * A v1 state as the current code carries it: the same process state, with the text replaced by its
 * hash (stored by `claimText` before the move). Reminder cursors carry over as they are: the current
 * chase keeps v1's slots in the same order, and goes on after the escalation instead of ending.
 */
export function fromV1(v1: V1State, textHash: string): RecommendationState {
  const { summary: _summary, body: _body, ...rest } = v1;
  return { ...rest, textHash, recentCommands: [] };
}
