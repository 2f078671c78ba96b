import { acceptanceRate, countTracks, implementationRate, rates, roundRate } from './rates';
import type { NationTrack } from './recommendation';

const track = (
  state: NationTrack['state'],
  decision: NonNullable<NationTrack['response']>['decision'] | null,
): Pick<NationTrack, 'state' | 'response'> => ({
  state,
  response: decision
    ? {
        decision,
        comment: '',
        plannedCompletion: null,
        at: '2026-01-01T00:00:00.000Z',
        by: { id: 'x', role: 'director' },
      }
    : null,
});

describe('rates (one definition for the closure outcome, the overview, the digest and the Board report)', () => {
  it('acceptance counts final answers only: no answer and an interim answer are not decisions', () => {
    const counts = countTracks([
      track('implemented', 'accepted'),
      track('accepted-in-part', 'accepted-in-part'),
      track('not-accepted', 'not-accepted'),
      track('under-consideration', 'under-consideration'),
      track('awaiting-response', null),
    ]);
    expect(counts).toEqual({ answered: 3, accepted: 1, acceptedInPart: 1, implemented: 1 });
    expect(rates(counts)).toEqual({ acceptanceRate: 2 / 3, implementationRate: 1 / 2 });
  });

  it('is null, not zero, when there is nothing to divide by', () => {
    expect(rates({ answered: 0, accepted: 0, acceptedInPart: 0, implemented: 0 })).toEqual({
      acceptanceRate: null,
      implementationRate: null,
    });
    expect(acceptanceRate({ answered: 2, accepted: 0, acceptedInPart: 0, implemented: 0 })).toBe(0);
    expect(implementationRate({ answered: 2, accepted: 0, acceptedInPart: 0, implemented: 0 })).toBeNull();
  });

  it('a nation that accepted and then reported "not implemented" still counts as accepting', () => {
    const counts = countTracks([track('not-implemented', 'accepted'), track('implemented', 'accepted')]);
    expect(rates(counts)).toEqual({ acceptanceRate: 1, implementationRate: 0.5 });
  });

  it('publishes four decimal places', () => {
    expect(roundRate(2 / 3)).toBe(0.6667);
    expect(roundRate(null)).toBeNull();
    expect(roundRate(1)).toBe(1);
  });
});
