import type { Actor } from './actor';
import { eventConcernsNation, feedScope } from './feed';

const actor = (roles: Actor['roles'], nation?: Actor['nation']): Actor => ({
  id: 'x',
  roles,
  ...(nation ? { nation } : {}),
});

describe('feedScope', () => {
  it('gives the secretariat and observers everything, a nation its part, and anyone else nothing', () => {
    expect(feedScope(actor(['secretariat']))).toEqual({ kind: 'all' });
    expect(feedScope(actor(['observer']))).toEqual({ kind: 'all' });
    expect(feedScope(actor(['secretariat', 'director'], 'FRA'))).toEqual({ kind: 'all' });
    for (const role of ['director', 'senior-rep', 'wg-member'] as const)
      expect(feedScope(actor([role], 'FRA'))).toEqual({ kind: 'nation', nation: 'FRA' });
    expect(feedScope(actor(['director']))).toEqual({ kind: 'none' });
  });
});

describe('eventConcernsNation', () => {
  const of = (data: Record<string, unknown>, targetNations: ('FRA' | 'DEU' | 'ITA')[] = ['FRA', 'DEU']) => ({
    targetNations,
    data,
  });

  it('shows a target nation the events about the recommendation as a whole', () => {
    expect(eventConcernsNation(of({ title: 'T', nations: ['FRA', 'DEU'] }), 'FRA')).toBe(true);
    expect(eventConcernsNation(of({ round: 1, deadline: '2026-12-04T11:00:00Z' }), 'DEU')).toBe(true);
  });

  it('shows nothing of a recommendation the nation is not a target of', () => {
    expect(eventConcernsNation(of({ round: 1 }), 'ITA')).toBe(false);
    expect(eventConcernsNation(of({ nation: 'ITA' }), 'ITA')).toBe(false);
  });

  it("leaves out another nation's own events and messages, keeps the nation's", () => {
    expect(eventConcernsNation(of({ nation: 'FRA', position: 'concur' }), 'FRA')).toBe(true);
    expect(eventConcernsNation(of({ nation: 'DEU', position: 'object' }), 'FRA')).toBe(false);
    expect(eventConcernsNation(of({ recipient: { role: 'director', nation: 'FRA' } }), 'FRA')).toBe(true);
    expect(eventConcernsNation(of({ recipient: { role: 'director', nation: 'DEU' } }), 'FRA')).toBe(false);
    // A message to the secretariat or the rapporteur is no nation's.
    expect(eventConcernsNation(of({ recipient: { role: 'secretariat' } }), 'FRA')).toBe(false);
  });
});
