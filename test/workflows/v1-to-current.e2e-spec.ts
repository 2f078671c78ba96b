import { parsePolicy, type RecommendationView } from '@app/domain';
import { call, eventually, header, MailDevClient, messageId, startApi, startWorker, TEST_V1_WORKFLOW_BUNDLE, type RunningApi, type RunningWorker } from '@app/testing';
import { bundleWorkerOptions } from '@app/testing/replay';
import { Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import type { LifecycleInput as V1Input } from '../../workflows/legacy/v1/definitions';
import { callers, events, expectOk, temporalClient, waitForStage, type Callers } from '../lifecycle.helpers';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * Recommendations started before the core redesign must finish correctly. One is raised and taken
 * to submission by a worker with the v1 code (exactly as deployed before), then that worker is
 * replaced by the current one: the next command finds the run on v1 code, the API moves it (the
 * `upgrade` update; the run continues as new carrying its state, its text stored under its hash),
 * and the command is given again. The rest of its life runs on the current code, to closure.
 */
describe('a recommendation started by the v1 code carries on under the current code', () => {
  let api: RunningApi;
  let who: Callers;
  let temporalHandle: { client: Client; close: () => Promise<void> };
  const workers: RunningWorker[] = [];
  const taskQueue = `v1-to-current-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    api = await startApi();
    who = await callers();
    temporalHandle = await temporalClient();
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await api?.close();
    await temporalHandle?.close();
  });

  it('is raised and submitted by the v1 code, then answered and closed through the API on the current code', async () => {
    const { client } = temporalHandle;
    const reference = `DIPB-2097-${String(Date.now() % 10_000).padStart(4, '0')}`;
    const parsed = parsePolicy({ consensusSilence: 'PT1S', approvalSilence: 'PT1S', silenceReminders: [], responseDue: 'PT60S', responseReminders: [], followUpEvery: 'PT60S', followUpReminder: 'PT30S' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const body = `## Recommendation\n\n${'Pool demand for propellant. '.repeat(200)}`;

    // Before the redesign: a v1 worker, the v1 input (the text inside), v1 commands.
    const v1 = await startWorker({ WORKFLOW_BUNDLE_PATH: TEST_V1_WORKFLOW_BUNDLE, TEMPORAL_TASK_QUEUE: taskQueue });
    workers.push(v1);
    const input: V1Input = {
      kind: 'raise',
      reference,
      raisedBy: { id: 'sec-anna', role: 'secretariat' },
      raise: { title: 'Started by v1', summary: 'A v1 summary', body, workingGroup: 'IC', language: 'en', nations: ['FRA', 'DEU', 'USA'], policy: parsed.policy, rapporteur: null },
    };
    const handle = await client.workflow.start('recommendationLifecycle', { workflowId: reference, taskQueue, args: [input] });
    const secretariat = { id: 'sec-anna', roles: ['secretariat' as const] };
    await handle.executeUpdate('call-consensus', { args: [{ actor: secretariat, command: { type: 'call-consensus' } }] });
    await waitForStage(api, who.secretariat, reference, 'approved');
    await handle.executeUpdate('submit', { args: [{ actor: secretariat, command: { type: 'submit' } }] });
    await handle.executeUpdate('respond', {
      args: [{ actor: { id: 'nad-FRA', roles: ['director'], nation: 'FRA' }, command: { type: 'respond', nation: 'FRA', decision: 'accepted', comment: 'Oui (v1)' } }],
    });
    const beforeMove = expectOk(await call<RecommendationView>(api, 'GET', `/api/v1/recommendations/${reference}`, { token: who.secretariat }));
    expect(beforeMove).toMatchObject({ stage: 'submitted', summary: 'A v1 summary', body });
    const firstRunId = (await handle.describe()).runId;

    // The deploy: the v1 worker goes, the current one takes over the same task queue.
    await v1.stop();
    workers.push(await startWorker({ TEMPORAL_TASK_QUEUE: taskQueue }));

    // The first command after the deploy moves the run, then is applied once.
    const post = (path: string, token: string, b: unknown) => call<RecommendationView>(api, 'POST', `/api/v1/recommendations/${reference}${path}`, { token, body: b });
    const deu = expectOk(await post('/nations/DEU/response', await who.director('DEU'), { decision: 'accepted-in-part', comment: 'Teilweise' }));
    expect(deu.nations.map((n) => [n.code, n.state])).toEqual([
      ['FRA', 'accepted'],
      ['DEU', 'accepted-in-part'],
      ['USA', 'awaiting-response'],
    ]);
    const moved = await handle.describe();
    expect(moved.runId).not.toBe(firstRunId);
    expect(moved.status.name).toBe('RUNNING');

    expectOk(await post('/nations/USA/response', who.secretariat, { decision: 'not-accepted', comment: 'Not now' }));
    expectOk(await post('/nations/FRA/progress', await who.director('FRA'), { status: 'implemented', comment: 'Done' }));
    const closed = expectOk(await post('/nations/DEU/progress', await who.director('DEU'), { status: 'not-implemented', comment: 'Budget' }));
    expect(closed).toMatchObject({ stage: 'closed', summary: 'A v1 summary', body, outcome: { acceptanceRate: 2 / 3, implementationRate: 0.5 } });

    // One audit trail across both codes: numbered without a gap, the v1 raise with its text, each answer once.
    const trail = await events(api, who.secretariat, reference);
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
    expect(trail[0]).toMatchObject({ type: 'raised', data: { title: 'Started by v1', body } });
    expect(trail.filter((e) => e.type === 'national-response').map((e) => e.data.nation)).toEqual(['FRA', 'DEU', 'USA']);
    // The closure notices went out from the current code, once each.
    const mail = new MailDevClient();
    const closures = await eventually(async () => {
      const mails = (await mail.forReference(reference)).filter((m) => header(m, 'x-dipb-notification') === 'closed');
      return mails.length === 4 ? mails : undefined;
    });
    expect(new Set(closures.map(messageId)).size).toBe(4);

    // The first run: v1 code, moved at a safe point (the marker), its text stored, continued as new.
    const first = await client.workflow.getHandle(reference, firstRunId).fetchHistory();
    const firstEvents = first.events ?? [];
    expect(firstEvents.some((e) => markerIds(e).includes('core-v2-upgrade'))).toBe(true);
    expect(firstEvents.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'claimText')).toBe(true);
    expect(firstEvents.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    // Both runs replay with the current code.
    await expect(Worker.runReplayHistory(bundleWorkerOptions(), first, reference)).resolves.toBeUndefined();
    const second = await client.workflow.getHandle(reference).fetchHistory();
    await expect(Worker.runReplayHistory(bundleWorkerOptions(), second, reference)).resolves.toBeUndefined();
    // The current run's history never holds the text.
    expect(JSON.stringify(second)).not.toContain('Pool demand for propellant. Pool demand');
  });
});

/** Patch ids in a marker's details (bytes from the server). */
function markerIds(e: HistoryEvent): string {
  const details = e.markerRecordedEventAttributes?.details ?? {};
  return Object.values(details)
    .flatMap((p) => p.payloads ?? [])
    .map((p) => (typeof p.data === 'string' ? Buffer.from(p.data, 'base64').toString() : Buffer.from(p.data ?? []).toString()))
    .join(' ');
}
