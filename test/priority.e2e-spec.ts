import { PRIORITY_POLICY, type RecommendationView } from '@app/domain';
import { call } from '@app/testing';
import { e2eStack, expectOk, FAST_POLICY, raise, waitForStage } from './lifecycle.helpers';

interface Page {
  items: { reference: string; priority: boolean }[];
  nextCursor: string | null;
}

/**
 * A priority recommendation through the real API, worker, Temporal and PostgreSQL: raised with the flag,
 * it takes the priority policy's defaults for what the caller leaves out, keeps the flag through its
 * stages, and comes first in the list, which can be filtered by it.
 */
describe('priority recommendations', () => {
  const s = e2eStack();
  const stamp = Date.now().toString(36);

  it('keeps the flag through the lifecycle, takes the priority defaults, and comes first in the list', async () => {
    const { escalateAfter: _given, ...fast } = FAST_POLICY;
    const priority = await raise(s.api, s.who.secretariat, {
      title: `Priority ${stamp}`,
      priority: true,
      policy: fast,
    });
    // Raised after it, newer: still listed after it.
    const ordinary = await raise(s.api, s.who.secretariat, { title: `Ordinary ${stamp}` });
    expect(priority.priority).toBe(true);
    expect(ordinary.priority).toBe(false);
    // What the caller left out comes from the priority policy; what it gave stands.
    expect(priority.policy.escalateAfter).toBe(PRIORITY_POLICY.escalateAfter);
    expect(priority.policy.consensusSilence).toBe(FAST_POLICY.consensusSilence);
    expect(ordinary.policy.escalateAfter).toBe(FAST_POLICY.escalateAfter);

    const list = async (query: string): Promise<Page> => {
      const res = await call<Page>(s.api, 'GET', `/api/v1/recommendations${query}`, { token: s.who.observer });
      expect(res.status).toBe(200);
      return res.body;
    };
    const first = (await list('?limit=100')).items;
    const at = (ref: string): number => first.findIndex((i) => i.reference === ref);
    expect(at(priority.reference)).toBeGreaterThanOrEqual(0);
    expect(at(priority.reference)).toBeLessThan(at(ordinary.reference));
    expect(first.slice(0, first.filter((i) => i.priority).length).every((i) => i.priority)).toBe(true);
    const only = (await list('?priority=true&limit=100')).items;
    expect(only.map((i) => i.reference)).toContain(priority.reference);
    expect(only.every((i) => i.priority)).toBe(true);
    expect((await list('?priority=false&limit=100')).items.map((i) => i.reference)).not.toContain(priority.reference);
    const refused = await call(s.api, 'GET', '/api/v1/recommendations?priority=yes', { token: s.who.observer });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/priority/);

    // Through its stages, the flag stays.
    expectOk(
      await call<RecommendationView>(s.api, 'POST', `/api/v1/recommendations/${priority.reference}/consensus`, {
        token: s.who.secretariat,
        body: {},
      }),
    );
    const approved = await waitForStage(s.api, s.who.secretariat, priority.reference, 'approved');
    expect(approved.priority).toBe(true);
    for (const ref of [priority.reference, ordinary.reference])
      expect(
        (
          await call(s.api, 'POST', `/api/v1/recommendations/${ref}/withdrawal`, {
            token: s.who.secretariat,
            body: { reason: 'priority test done' },
          })
        ).status,
      ).toBe(200);
  });

  it('refuses a priority flag that is not true or false, and raises nothing', async () => {
    const before = (
      await call<{ total: number }>(s.api, 'GET', '/api/v1/recommendations?limit=1', { token: s.who.observer })
    ).body.total;
    const res = await call(s.api, 'POST', '/api/v1/recommendations', {
      token: s.who.secretariat,
      body: {
        title: `Bad flag ${stamp}`,
        summary: 'S',
        body: 'B',
        workingGroup: 'IC',
        language: 'en',
        priority: 'yes',
      },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/priority/);
    const after = (
      await call<{ total: number }>(s.api, 'GET', '/api/v1/recommendations?limit=1', { token: s.who.observer })
    ).body.total;
    expect(after).toBe(before);
  });
});
