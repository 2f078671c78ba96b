import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecommendationView } from '@app/domain';
import { call, eventually, freePort, REPO_ROOT, WebhookReceiver } from '@app/testing';
import { e2eStack, raise } from '../lifecycle.helpers';
import { scrape, type MetricFamily } from './prometheus-text';

const value = (f: MetricFamily | undefined, labels: Record<string, string>): number =>
  (f?.metrics ?? [])
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((sum, m) => sum + Number(m.value ?? m.count ?? 0), 0);

describe('metrics of the API and the worker, in Prometheus text format', () => {
  let workerMetrics: string;
  const s = e2eStack({
    workerEnv: async () => {
      const port = await freePort();
      workerMetrics = `http://127.0.0.1:${port}/metrics`;
      return { WORKER_METRICS_PORT: String(port) };
    },
    timeoutMs: 60_000,
  });

  it('GET /metrics of the API counts requests by route pattern, errors, latency and commands by kind and outcome', async () => {
    const rec = await raise(s.api, s.who.secretariat, { nations: ['FRA', 'DEU'] });
    await call(s.api, 'GET', `/api/v1/recommendations/${rec.reference}`, { token: s.who.secretariat });
    await call(s.api, 'GET', '/api/v1/recommendations/DIPB-2026-999999', { token: s.who.secretariat }); // 404
    const refused = await call<RecommendationView>(
      s.api,
      'POST',
      `/api/v1/recommendations/${rec.reference}/submission`,
      {
        token: s.who.secretariat,
      },
    ); // 409 in drafting
    expect(refused.status).toBe(409);
    await call(s.api, 'GET', '/no/such/path/4f1c2a', { token: s.who.secretariat });

    // No token needed, and never rate limited.
    const { contentType, families, text } = await scrape(`${s.api.url}/metrics`);
    expect(contentType).toMatch(/^text\/plain;.*version=0\.0\.4/);

    const requests = families.get('dipb_http_requests_total');
    expect(requests?.type).toBe('COUNTER');
    expect(
      value(requests, { method: 'GET', route: '/api/v1/recommendations/:ref', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value(requests, { method: 'GET', route: '/api/v1/recommendations/:ref', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(value(requests, { method: 'POST', route: '/api/v1/recommendations', status: '201' })).toBeGreaterThanOrEqual(
      1,
    );
    // Raw URLs never become labels.
    expect(text).not.toContain(rec.reference);
    expect(text).not.toContain('4f1c2a');
    expect(value(requests, { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);

    expect(families.get('dipb_http_request_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(
      value(families.get('dipb_http_request_errors_total'), {
        route: '/api/v1/recommendations/:ref/submission',
        class: '4xx',
      }),
    ).toBeGreaterThanOrEqual(1);
    const commands = families.get('dipb_commands_total');
    expect(value(commands, { kind: 'raise', outcome: 'accepted' })).toBeGreaterThanOrEqual(1);
    expect(value(commands, { kind: 'submit', outcome: 'refused' })).toBeGreaterThanOrEqual(1);
    expect(families.get('dipb_api_process_cpu_seconds_total')?.type).toBe('COUNTER');
  }, 60_000);

  it("the worker's endpoint carries the Temporal SDK's metrics and ours: emails by kind, reminders fired, overdue nations", async () => {
    const rec = await raise(s.api, s.who.secretariat, { nations: ['FRA', 'DEU'] });
    // A consensus call (emails to WG members) with a reminder one second before silence ends.
    await call(s.api, 'POST', `/api/v1/recommendations/${rec.reference}/consensus`, {
      token: s.who.secretariat,
      body: { silence: 'PT2S' },
    });

    const families = await eventually(async () => {
      const { families: f } = await scrape(workerMetrics);
      return value(f.get('dipb_reminders_fired_total'), { kind: 'consensus-reminder' }) > 0 ? f : undefined;
    }, 30_000);
    expect(families.get('dipb_emails_sent_total')?.type).toBe('COUNTER');
    expect(value(families.get('dipb_emails_sent_total'), { kind: 'consensus-call' })).toBeGreaterThanOrEqual(2);
    expect(families.get('dipb_overdue_nations')?.type).toBe('GAUGE');
    // The SDK's own, with Prometheus naming.
    const sdk = [...families.keys()].filter((n) => n.startsWith('temporal_'));
    expect(sdk).toEqual(
      expect.arrayContaining([
        'temporal_request_total',
        'temporal_activity_execution_latency_seconds',
        'temporal_num_pollers',
      ]),
    );
  }, 60_000);

  it('the worker counts webhook delivery attempts by outcome', async () => {
    const receiver = await WebhookReceiver.start();
    // The first attempt refused, the same event accepted on the next.
    receiver.answer = (n) => (n === 1 ? 500 : 204);
    const created = await call<{ id: string; secret: string }>(s.api, 'POST', '/api/v1/webhooks', {
      token: s.who.secretariat,
      body: { url: receiver.url, eventTypes: ['raised'] },
    });
    expect(created.status).toBe(201);
    receiver.secrets = [created.body.secret];
    try {
      const rec = await raise(s.api, s.who.secretariat, { nations: ['FRA'] });
      await eventually(() => receiver.appliedFor(rec.reference).length === 1, 30_000);
      expect(receiver.received.map((w) => w.answered)).toEqual([500, 204]);
      const families = await eventually(async () => {
        const { families: f } = await scrape(workerMetrics);
        return value(f.get('dipb_webhook_deliveries_total'), { outcome: 'delivered' }) >= 1 ? f : undefined;
      }, 30_000);
      expect(families.get('dipb_webhook_deliveries_total')?.type).toBe('COUNTER');
      expect(value(families.get('dipb_webhook_deliveries_total'), { outcome: 'failed' })).toBeGreaterThanOrEqual(1);
    } finally {
      await call(s.api, 'DELETE', `/api/v1/webhooks/${created.body.id}`, { token: s.who.secretariat });
      await receiver.close();
    }
  }, 60_000);

  it('the API and the worker both report the Node.js they run on: 24, the one the project brings (the `node` package)', async () => {
    const projectNode = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'node', 'package.json'), 'utf8')) as { version: string }
    ).version;
    expect(projectNode).toMatch(/^24\./);
    const versionOf = (families: Map<string, MetricFamily>, name: string): Record<string, string> | undefined => {
      const family = families.get(name);
      expect(family?.type).toBe('GAUGE');
      return family?.metrics[0]?.labels;
    };
    const fromApi = versionOf((await scrape(`${s.api.url}/metrics`)).families, 'dipb_api_nodejs_version_info');
    const fromWorker = versionOf((await scrape(workerMetrics)).families, 'dipb_worker_nodejs_version_info');
    for (const labels of [fromApi, fromWorker])
      expect(labels).toMatchObject({ version: `v${projectNode}`, major: '24' });
  });
});
