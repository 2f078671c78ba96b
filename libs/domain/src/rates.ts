import type { NationTrack } from './recommendation';

/**
 * The two rates the secretariat reports, defined once (docs/design.md, "Acceptance and implementation
 * rates"), as the UN JIU and GAO trackers define theirs:
 *
 * - acceptance rate = (accepted + accepted in part) / final answers (accepted, accepted in part, not
 *   accepted). A nation that has not answered, or answered only "under consideration", is not in the
 *   denominator: it has not decided yet. Null when no final answer has been given.
 * - implementation rate = implemented / (accepted + accepted in part). Null when nothing was accepted.
 *
 * The closure outcome of one recommendation and the overview of many use these functions, so the same
 * answers always give the same rates. Values are exact ratios; a presentation rounds them.
 */
export interface RateCounts {
  /** Final answers: accepted, accepted in part or not accepted. */
  answered: number;
  accepted: number;
  acceptedInPart: number;
  /** Accepting nations that reported the recommendation implemented. */
  implemented: number;
}

export interface Rates {
  acceptanceRate: number | null;
  implementationRate: number | null;
}

export function acceptanceRate(c: RateCounts): number | null {
  return c.answered === 0 ? null : (c.accepted + c.acceptedInPart) / c.answered;
}

export function implementationRate(c: RateCounts): number | null {
  const accepting = c.accepted + c.acceptedInPart;
  return accepting === 0 ? null : c.implemented / accepting;
}

export function rates(c: RateCounts): Rates {
  return { acceptanceRate: acceptanceRate(c), implementationRate: implementationRate(c) };
}

/** A rate as the API publishes it: four decimal places (0.6667). */
export function roundRate(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 10_000) / 10_000;
}

/** The counts behind the rates for one recommendation's nations, from their last final decision. */
export function countTracks(tracks: readonly Pick<NationTrack, 'state' | 'response'>[]): RateCounts {
  const counts: RateCounts = { answered: 0, accepted: 0, acceptedInPart: 0, implemented: 0 };
  for (const t of tracks) {
    const decision = t.response?.decision;
    if (decision === 'accepted') counts.accepted++;
    else if (decision === 'accepted-in-part') counts.acceptedInPart++;
    if (decision === 'accepted' || decision === 'accepted-in-part' || decision === 'not-accepted') counts.answered++;
    // Only an accepting nation is chased for progress, so only it can reach `implemented`.
    if (t.state === 'implemented') counts.implemented++;
  }
  return counts;
}
