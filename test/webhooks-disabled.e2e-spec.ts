import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { webhookWorkflowId } from '@app/temporal';
import { call, eventually, header, MailDevClient, WebhookReceiver } from '@app/testing';
import { bundleWorkerOptions } from '@app/testing/replay';
import { e2eStack, raise } from './lifecycle.helpers';

interface Subscription {
  id: string;
  active: boolean;
  failures: number;
  failingSince: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
  secret?: string;
}
interface Delivery {
  webhookId: string;
  attempt: number;
  at: string;
  status: number | null;
  delivered: boolean;
}

/**
 * A receiver that keeps failing is given up on after WEBHOOK_DISABLE_AFTER (3 s here): the subscription
 * is disabled by the system (in its audit trail), the secretariat gets one notice by email, and once
 * turned on again delivery resumes where it stopped, in order, nothing lost.
 */
describe('webhooks: a receiver failing too long', () => {
  const mail = new MailDevClient();
  let receiver: WebhookReceiver | undefined;
  let id: string | undefined;
  afterAll(async () => {
    if (id) await call(s.api, 'DELETE', `/api/v1/webhooks/${id}`, { token: s.who.secretariat });
    await receiver?.close();
  });
  const s = e2eStack({ workerEnv: () => Promise.resolve({ WEBHOOK_DISABLE_AFTER: 'PT3S' }) });

  it('is disabled with a notice to the secretariat, and resumes in order when turned on again', async () => {
    const r = (receiver = await WebhookReceiver.start());
    r.answer = () => 503;
    const created = await call<Subscription>(s.api, 'POST', '/api/v1/webhooks', {
      token: s.who.secretariat,
      body: { url: r.url, eventTypes: ['raised', 'revised'], description: 'Failing receiver' },
    });
    expect(created.status).toBe(201);
    id = created.body.id;
    r.secrets = [created.body.secret!];
    const raised = await raise(s.api, s.who.secretariat, { title: `Given up on ${Date.now()}` });
    const ref = raised.reference;

    const disabled = await eventually(async () => {
      const got = await call<Subscription>(s.api, 'GET', `/api/v1/webhooks/${id}`, { token: s.who.secretariat });
      return got.body.active ? undefined : got.body;
    }, 60_000);
    expect(disabled.disabledAt).not.toBeNull();
    expect(disabled.disabledReason).toMatch(/no delivery accepted since .* attempts\); last: answered 503/);
    expect(disabled.failures).toBeGreaterThanOrEqual(2);
    // It failed for at least the 3 s allowed, every attempt at the same first event, each answered 503.
    const log = (
      await call<{ items: Delivery[] }>(s.api, 'GET', `/api/v1/webhooks/${id}/deliveries`, { token: s.who.secretariat })
    ).body.items.reverse();
    expect(new Set(log.map((d) => d.webhookId))).toEqual(new Set([`${ref}.1`]));
    expect(log.every((d) => d.status === 503 && !d.delivered)).toBe(true);
    expect(log.map((d) => d.attempt)).toEqual(log.map((_, i) => i + 1));
    expect(Date.parse(log.at(-1)!.at) - Date.parse(log[0]!.at)).toBeGreaterThanOrEqual(3000);
    expect(r.received.length).toBe(log.length);
    const changes = await call<{ action: string; actor: { id: string; role: string } }[]>(
      s.api,
      'GET',
      `/api/v1/webhooks/${id}/changes`,
      { token: s.who.secretariat },
    );
    expect(changes.body.map((c) => [c.action, c.actor.role])).toEqual([
      ['created', 'secretariat'],
      ['disabled', 'system'],
    ]);

    // One notice, to the secretariat, naming the subscription.
    const notice = await eventually(async () => {
      const found = (await mail.all()).filter((m) => header(m, 'x-dipb-webhook') === id);
      return found.length > 0 ? found : undefined;
    }, 30_000);
    expect(notice).toHaveLength(1);
    expect(notice[0]!.subject).toBe('[DIPB] Webhook disabled: Failing receiver');
    expect(notice[0]!.to.map((t) => t.address)).toEqual([
      process.env.SECRETARIAT_EMAIL ?? 'dipb-secretariat@example.nato.int',
    ]);
    expect(notice[0]!.text).toContain(`PATCH /api/v1/webhooks/${id}`);

    // The loop's run ended after the notice; its history (rounds, backoff timers, the notice) replays on this code,
    // and is the committed one the replay suite guards (RECORD_HISTORIES=1 writes it).
    const run = s.temporal.client.workflow.getHandle(webhookWorkflowId(id));
    await eventually(async () => (await run.describe()).status.name === 'COMPLETED', 30_000);
    const history = await run.fetchHistory();
    const { EventType } = temporal.api.enums.v1;
    const count = (type: temporal.api.enums.v1.EventType) =>
      (history.events ?? []).filter((e) => e.eventType === type).length;
    // Backoff timers between failed rounds, then the notice, then the end.
    expect(count(EventType.EVENT_TYPE_TIMER_FIRED)).toBeGreaterThanOrEqual(1);
    expect(count(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)).toBeGreaterThanOrEqual(3);
    expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)).toBe(1);
    await expect(Worker.runReplayHistory(bundleWorkerOptions(), history, run.workflowId)).resolves.toBeUndefined();
    if (process.env.RECORD_HISTORIES === '1')
      writeFileSync(
        join(__dirname, '..', 'workflows', 'histories', 'current-webhook-disabled.json'),
        `${historyToJSON(history)}\n`,
      );

    // Turned on again, with the receiver well: from the first event, in order, each once.
    r.answer = () => 204;
    const revised = await call(s.api, 'POST', `/api/v1/recommendations/${ref}/revisions`, {
      token: s.who.secretariat,
      body: { summary: 'Revised while the subscription was off.', note: 'While off' },
    });
    expect(revised.status).toBe(200);
    const on = await call<Subscription>(s.api, 'PATCH', `/api/v1/webhooks/${id}`, {
      token: s.who.secretariat,
      body: { active: true },
    });
    expect(on.body).toMatchObject({ active: true, failures: 0, failingSince: null, disabledAt: null });
    await eventually(() => r.appliedFor(ref).length >= 2, 30_000);
    expect(r.applied.filter((w) => w.event.data.reference === ref).map((w) => w.event.data.type)).toEqual([
      'raised',
      'revised',
    ]);
    expect(r.received.every((w) => w.verifiedBy.includes(0))).toBe(true);
  });
});
