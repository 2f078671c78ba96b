import { temporal } from '@temporalio/proto';
import { webhookWorkflowId } from '@app/temporal';
import { call, eventually, WebhookReceiver } from '@app/testing';
import { e2eStack, raise } from './lifecycle.helpers';

/**
 * A loop waiting out a long backoff (60 s here) stops at once when its subscription is deleted or turned
 * off: the API wakes it, and the woken round finds nothing to deliver to.
 */
describe('webhooks: a loop in its backoff', () => {
  let receiver: WebhookReceiver | undefined;
  afterAll(async () => receiver?.close());
  const s = e2eStack({
    workerEnv: () => Promise.resolve({ WEBHOOK_RETRY_INITIAL_MS: '60000', WEBHOOK_RETRY_MAX_MS: '60000' }),
  });

  it('ends when its subscription is deleted, without waiting for the backoff', async () => {
    const r = (receiver = await WebhookReceiver.start());
    r.answer = () => 500;
    const created = await call<{ id: string; secret: string }>(s.api, 'POST', '/api/v1/webhooks', {
      token: s.who.secretariat,
      body: { url: r.url, eventTypes: ['raised'] },
    });
    expect(created.status).toBe(201);
    r.secrets = [created.body.secret];
    await raise(s.api, s.who.secretariat, { title: `Backoff ${Date.now()}` });

    // The first attempt failed; the loop now waits in a 60 s timer.
    const handle = s.temporal.client.workflow.getHandle(webhookWorkflowId(created.body.id));
    const { EventType } = temporal.api.enums.v1;
    const timer = await eventually(async () => {
      const history = await handle.fetchHistory();
      return history.events?.find((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED);
    }, 30_000);
    expect(Number(timer.timerStartedEventAttributes?.startToFireTimeout?.seconds)).toBe(60);
    expect(r.received).toHaveLength(1);

    const deleted = await call(s.api, 'DELETE', `/api/v1/webhooks/${created.body.id}`, { token: s.who.secretariat });
    expect(deleted.status).toBe(204);
    const deletedAt = Date.now();
    // Ended within seconds of the delete, long before the timer would have fired.
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', 20_000);
    expect(Date.now() - deletedAt).toBeLessThan(20_000);
    expect(await handle.result()).toEqual({ kind: 'stopped', delivered: 0, reason: 'deleted' });
    const history = await handle.fetchHistory();
    expect(history.events?.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).toBe(true);
    expect(history.events?.some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED)).toBe(false);
    expect(r.received).toHaveLength(1);
  });
});
