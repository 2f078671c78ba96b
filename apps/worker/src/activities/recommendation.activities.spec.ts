import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { DeliveryContext, DeliveryResult, NotificationRequest } from '@app/domain';
import type { NotificationsService } from '@app/notifications';
import type { ProjectionRepository } from '@app/persistence';
import type { NotifyInput } from '@app/temporal';
import type { WorkerMetrics } from '../worker-metrics';
import { RecommendationActivities } from './recommendation.activities';

// The activity's own logic at its edge: the notifications service and metrics are stand-ins here;
// the real ones are exercised against PostgreSQL and MailDev in the integration and e2e suites.

const context: DeliveryContext = {
  reference: 'DIPB-2026-0001',
  title: 'Title',
  summary: 'Summary',
  body: 'Body',
  workingGroup: 'SCS',
  language: 'en',
  rapporteur: null,
};

const request = (nation: 'BEL' | 'DEU' | 'FRA' | 'ITA'): NotificationRequest => ({
  identity: `DIPB-2026-0001/consensus-reminder/wg-member-${nation}/2026-12-01T10:00:00.000Z`,
  reference: 'DIPB-2026-0001',
  kind: 'consensus-reminder',
  recipient: { role: 'wg-member', nation },
  revision: 1,
  deadline: '2026-12-04T11:00:00.000Z',
  dueAt: '2026-12-01T10:00:00.000Z',
  nation,
  note: null,
  round: null,
});

const sent = (r: NotificationRequest): DeliveryResult => ({
  identity: r.identity,
  status: 'sent',
  address: `${r.nation}@example`,
  messageId: `<${r.identity}@dipb>`,
  sentAt: '2026-12-01T10:00:01.000Z',
  error: null,
});

function activitiesWith(deliver: (r: NotificationRequest, c: DeliveryContext) => Promise<DeliveryResult>) {
  const delivered = jest.fn();
  // The text and facts of a revision, as the service would read them from PostgreSQL.
  const loadContext = jest.fn((_reference: string, _revision: number) => Promise.resolve(context));
  const activities = new RecommendationActivities(
    {} as ProjectionRepository,
    { deliver, context: loadContext } as unknown as NotificationsService,
    { delivered } as unknown as WorkerMetrics,
  );
  return { activities, delivered, loadContext };
}

const notify = (activities: RecommendationActivities) => (input: NotifyInput) => activities.notify(input);

describe('RecommendationActivities.notify', () => {
  const requests = (['BEL', 'DEU', 'FRA', 'ITA'] as const).map(request);

  it('sends a batch one message at a time, in order, heartbeating each message', async () => {
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const contexts: DeliveryContext[] = [];
    const { activities, delivered, loadContext } = activitiesWith(async (r, c) => {
      most = Math.max(most, ++inFlight);
      order.push(r.nation ?? '');
      contexts.push(c);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return sent(r);
    });
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));

    const results: DeliveryResult[] = await env.run(notify(activities), { reference: 'DIPB-2026-0001', requests });

    // The text is read from PostgreSQL once for the batch (one revision), never carried in the input.
    expect(loadContext.mock.calls).toEqual([['DIPB-2026-0001', 1]]);
    expect(contexts.every((c) => c === context)).toBe(true);

    // One in flight: a worker killed mid-batch can have sent at most one message it did not record.
    expect(most).toBe(1);
    expect(order).toEqual(['BEL', 'DEU', 'FRA', 'ITA']);
    expect(results.map((r) => r.identity)).toEqual(requests.map((r) => r.identity));
    expect(beats).toEqual([1, 2, 3, 4]);
    expect(delivered).toHaveBeenCalledTimes(4);
  });

  it('stops at the first failure, so the retry resumes there', async () => {
    const attempted: string[] = [];
    const { activities, delivered } = activitiesWith((r) => {
      attempted.push(r.nation ?? '');
      if (r.nation === 'DEU') return Promise.reject(new Error('SMTP unavailable: DEU'));
      return Promise.resolve(sent(r));
    });
    // The SDK logs the failed attempt at WARN; expected here.
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

    await expect(env.run(notify(activities), { reference: 'DIPB-2026-0001', requests })).rejects.toThrow(
      'SMTP unavailable: DEU',
    );
    expect(attempted).toEqual(['BEL', 'DEU']);
    expect(delivered).toHaveBeenCalledTimes(1);
  });

  it('heartbeats while a batch waits its turn, before any of its messages has gone', async () => {
    const { activities } = activitiesWith(async (r) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return sent(r);
    });
    // Heartbeat timeout 1.5 s: a liveness beat every 500 ms.
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 1_500 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));

    await env.run(notify(activities), { reference: 'DIPB-2026-0001', requests: [request('BEL')] });

    // A beat of "0 sent" while the one message was still on its way, then the progress beat.
    expect(beats[0]).toBe(0);
    expect(beats.at(-1)).toBe(1);
  });
});
