import type { RecommendationView } from '@app/domain';
import { call, eventually } from '@app/testing';
import { byDirector, e2eStack, expectOk, raise, waitForStage } from '../lifecycle.helpers';

/**
 * The operators' saved queries (docs/operations.md) against Temporal's visibility, on whichever engine
 * the suite runs on: the development server, or the cluster's SQL visibility, which is eventually
 * consistent (a search attribute upserted now is found a moment later), so each query is polled until
 * it shows what the record shows, and its answer is then checked exactly.
 */
describe("operators' saved queries on Temporal's visibility", () => {
  const s = e2eStack();
  const policy = {
    consensusSilence: 'PT2S',
    approvalSilence: 'PT2S',
    silenceReminders: [],
    responseDue: 'P30D',
    responseReminders: [],
    followUpEvery: 'P180D',
    followUpReminder: 'P14D',
    autoSubmit: true,
  };

  async function query(q: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const run of s.temporal.client.workflow.list({ query: q })) ids.push(run.workflowId);
    return ids;
  }
  /** The query's answer once visibility has caught up with `expected` (as a set), within 30 s. */
  const caughtUp = (q: string, expected: (ids: string[]) => boolean): Promise<string[]> =>
    eventually(async () => {
      const ids = await query(q);
      return expected(ids) ? ids : undefined;
    }, 30_000);

  it('finds what awaits France and what awaits Germany, one working group’s open work, and one reference', async () => {
    const stamp = Date.now().toString(36);
    const submitted = await raise(s.api, s.who.secretariat, {
      title: `Awaits France ${stamp}`,
      nations: ['FRA', 'DEU'],
      policy,
    });
    const answered = await raise(s.api, s.who.secretariat, {
      title: `France answered ${stamp}`,
      nations: ['FRA', 'DEU'],
      policy,
    });
    const drafting = await raise(s.api, s.who.secretariat, {
      title: `Drafting ${stamp}`,
      workingGroup: 'SI',
      nations: ['FRA'],
      policy,
    });
    for (const r of [submitted, answered])
      expectOk(
        await call<RecommendationView>(s.api, 'POST', `/api/v1/recommendations/${r.reference}/consensus`, {
          token: s.who.secretariat,
          body: {},
        }),
      );
    await waitForStage(s.api, s.who.secretariat, submitted.reference, 'submitted');
    await waitForStage(s.api, s.who.secretariat, answered.reference, 'submitted');
    await byDirector(s, answered.reference, 'FRA', 'response', { decision: 'not-accepted', comment: 'Non' });

    const awaitsFrance = await caughtUp(
      "DipbPendingNations = 'FRA' AND DipbStage = 'submitted'",
      (ids) => ids.includes(submitted.reference) && !ids.includes(answered.reference),
    );
    expect(awaitsFrance).toContain(submitted.reference);
    expect(awaitsFrance).not.toContain(answered.reference);
    expect(awaitsFrance).not.toContain(drafting.reference);
    // What awaits Germany still includes both.
    const awaitsGermany = await caughtUp("DipbPendingNations = 'DEU' AND DipbStage = 'submitted'", (ids) =>
      [submitted.reference, answered.reference].every((r) => ids.includes(r)),
    );
    expect(awaitsGermany).toEqual(expect.arrayContaining([submitted.reference, answered.reference]));
    const open = await caughtUp("DipbWorkingGroup = 'SI' AND ExecutionStatus = 'Running'", (ids) =>
      ids.includes(drafting.reference),
    );
    expect(open).not.toContain(submitted.reference);
    const byReference = await caughtUp(`DipbReference = '${drafting.reference}'`, (ids) => ids.length > 0);
    expect(byReference).toEqual([drafting.reference]);

    for (const r of [submitted, answered, drafting])
      expect(
        (
          await call(s.api, 'POST', `/api/v1/recommendations/${r.reference}/withdrawal`, {
            token: s.who.secretariat,
            body: { reason: 'saved-queries test done' },
          })
        ).status,
      ).toBe(200);
  });
});
