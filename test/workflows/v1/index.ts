/**
 * The workflow code as it ran before the core redesign (v1), for tests that need a recommendation
 * started and driven by it: the frozen v1 lifecycle, without the move to the current code. A worker
 * bundled from this file behaves as the deployed worker did before the redesign.
 */
import type { LifecycleInput } from '../../../workflows/legacy/v1/definitions';
import type { RecommendationView } from '../../../workflows/legacy/v1/domain';
import { recommendationLifecycleV1 } from '../../../workflows/legacy/v1/recommendation-lifecycle.v1';

export function recommendationLifecycle(input: LifecycleInput): Promise<RecommendationView> {
  return recommendationLifecycleV1(input);
}
