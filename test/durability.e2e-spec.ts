import type { RecommendationView } from '@app/domain';
import { call, eventually, sleep, startWorker } from '@app/testing';
import { byDirector, e2eStack, untilSent, events, expectOk, raise, waitForStage } from './lifecycle.helpers';

describe('durability: crashes, long follow-ups and what operators query', () => {
  const s = e2eStack();

  const post = (path: string, token: string, body: unknown = {}) =>
    call<RecommendationView>(s.api, 'POST', path, { token, body });

  async function submitted(nations: string[], policy: Record<string, unknown>): Promise<string> {
    const { reference } = await raise(s.api, s.who.secretariat, {
      nations,
      policy: { consensusSilence: 'PT1S', approvalSilence: 'PT1S', silenceReminders: [], ...policy },
    });
    expectOk(await post(`/api/v1/recommendations/${reference}/consensus`, s.who.secretariat, { silence: 'PT1S' }));
    await waitForStage(s.api, s.who.secretariat, reference, 'approved');
    expectOk(await post(`/api/v1/recommendations/${reference}/submission`, s.who.secretariat));
    return reference;
  }

  it('carries on after the worker is SIGKILLed: no deadline lost, no notification recorded twice', async () => {
    const ref = await submitted(['POL', 'NOR'], {
      responseDue: 'PT6S',
      responseReminders: ['PT3S'],
      overdueEvery: 'PT10S',
      escalateAfter: 1,
    });
    // Down across the reminder (+3 s) and the deadline with its first overdue notice (+6 s); the escalation is due at +16 s.
    await s.worker!.kill();
    await sleep(9000);
    s.worker = await startWorker();
    const view = await waitForStage(s.api, s.who.secretariat, ref, 'follow-up', 30_000);
    expect(view.nations.every((n) => n.overdue)).toBe(true);
    const trail = await untilSent(s.api, s.who.secretariat, ref, 'escalation', 2, 30_000);
    const sent = trail.filter((e) => e.type === 'notification-sent').map((e) => String(e.data.identity));
    expect(new Set(sent).size).toBe(sent.length);
    // Catch-up: one message per nation for the missed dates (the latest, the first overdue notice), not
    // one per missed date; then at +16 s, on time, the second overdue notice with the escalation (the
    // chase goes on after it).
    const perNation = (kind: string, nation: string) =>
      trail.filter(
        (e) =>
          e.type === 'notification-sent' &&
          e.data.kind === kind &&
          String(e.data.identity).includes(`/${nation}/response/`),
      ).length;
    for (const nation of ['POL', 'NOR']) {
      expect([
        perNation('response-reminder', nation),
        perNation('response-overdue', nation),
        perNation('escalation', nation),
      ]).toEqual([0, 2, 1]);
    }
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
  });

  it('continues as new during a long follow-up, carrying the whole state and the event sequence', async () => {
    const ref = await submitted(['NLD'], {
      responseDue: 'P30D',
      responseReminders: ['P7D'],
      followUpEvery: 'P180D',
      followUpReminder: 'P14D',
    });
    const handle = s.temporal.client.workflow.getHandle(ref);
    const firstRun = (await handle.describe()).runId;
    await byDirector(s, ref, 'NLD', 'response', {
      decision: 'accepted',
      comment: 'Ja',
    });
    // Years of periodic reports, compressed: each report is a command, and the history grows until Temporal suggests continue-as-new.
    let last: RecommendationView | undefined;
    for (let i = 1; i <= 150; i++) {
      last = expectOk(
        await post(`/api/v1/recommendations/${ref}/nations/NLD/progress`, await s.who.director('NLD'), {
          status: 'in-progress',
          percent: i % 100,
          comment: `Report ${i}`,
        }),
      );
    }
    expect(last?.nations[0]?.progress.length).toBe(150);
    const runs = await eventually(async () => {
      const d = await handle.describe();
      return d.runId !== firstRun ? d : undefined;
    }, 30_000);
    expect(runs.status.name).toBe('RUNNING');
    // The new run shows the current title in its current details at once (its static summary is empty).
    const metadata = await eventually(async () => {
      const m = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      return m.currentDetails ? m : undefined;
    }, 10_000);
    expect(metadata.currentDetails?.split('\n')[0]).toBe('**Secure the supply of 155 mm shells**');
    // The new run answers with the state the old one had, and goes on numbering events.
    const closed = await byDirector(s, ref, 'NLD', 'progress', {
      status: 'implemented',
      comment: 'Done',
    });
    expect(closed.stage).toBe('closed');
    expect(closed.nations[0]?.progress.length).toBe(151);
    const trail = await events(s.api, s.who.secretariat, ref);
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
    expect(trail.filter((e) => e.type === 'progress-reported').length).toBe(151);
  });

  it('lets operators find exactly the submitted recommendations by search attribute', async () => {
    const sub = await submitted(['LVA'], { responseDue: 'P30D', responseReminders: ['P7D'] });
    const { reference: drafting } = await raise(s.api, s.who.secretariat, { nations: ['LVA'] });
    const query = `DipbStage = 'submitted' AND DipbReference IN ('${sub}', '${drafting}')`;
    const found = await eventually(async () => {
      const refs: string[] = [];
      for await (const wf of s.temporal.client.workflow.list({ query })) refs.push(wf.workflowId);
      return refs.length === 1 ? refs : undefined;
    }, 20_000);
    expect(found).toEqual([sub]);
    const pending = [];
    for await (const wf of s.temporal.client.workflow.list({
      query: `DipbPendingNations = 'LVA' AND DipbReference = '${sub}'`,
    }))
      pending.push(wf);
    expect(pending.map((w) => w.workflowId)).toEqual([sub]);
    const described = await s.temporal.client.workflow.getHandle(sub).describe();
    expect(described.typedSearchAttributes.get({ name: 'DipbWorkingGroup', type: 'KEYWORD' } as never)).toBe('IC');
    expect(await described.staticSummary()).toContain(sub);
  });
});
