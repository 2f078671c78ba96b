import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { call, eventually, startApi, startWorker, type RunningApi, type RunningWorker } from '@app/testing';
import { callers, raise, type Callers } from '../lifecycle.helpers';

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
}

/** OTLP/JSON ids are hex; some encoders send base64: read both. */
const hex = (id: unknown): string =>
  typeof id !== 'string' ? '' : /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');

/** A minimal OTLP/HTTP (JSON) trace receiver, in process: what a collector would get. */
function otlpReceiver(): Promise<{ server: Server; url: string; spans: ReceivedSpan[] }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const parsed = JSON.parse(body) as {
          resourceSpans?: {
            resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
            scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string }[] }[];
          }[];
        };
        for (const rs of parsed.resourceSpans ?? []) {
          const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? [])
              spans.push({
                service,
                traceId: hex(s.traceId),
                spanId: hex(s.spanId),
                parentSpanId: hex(s.parentSpanId),
                name: s.name,
              });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, spans }),
    ),
  );
}

describe('one trace from the HTTP request through the workflow to its activities (OTLP)', () => {
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let api: RunningApi;
  let worker: RunningWorker;
  let who: Callers;
  const saved = { endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT, delay: process.env.OTEL_BSP_SCHEDULE_DELAY };

  beforeAll(async () => {
    receiver = await otlpReceiver();
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    process.env.OTEL_BSP_SCHEDULE_DELAY = '200';
    [api, worker] = await Promise.all([
      startApi(),
      startWorker({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' }),
    ]);
    who = await callers();
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await new Promise((r) => receiver?.server.close(r));
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved.endpoint;
    process.env.OTEL_BSP_SCHEDULE_DELAY = saved.delay;
    if (saved.endpoint === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (saved.delay === undefined) delete process.env.OTEL_BSP_SCHEDULE_DELAY;
  });

  it("a call for consensus spans the API, the workflow update and the persist activity; the request id is the trace id; its mail goes in the workflow's own trace", async () => {
    const rec = await raise(api, who.secretariat, { nations: ['FRA', 'DEU'] });
    // The caller's own trace (W3C traceparent) is continued.
    const traceId = randomBytes(16).toString('hex');
    const res = await call(api, 'POST', `/api/v1/recommendations/${rec.reference}/consensus`, {
      token: who.secretariat,
      body: { silence: 'PT1H' },
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(traceId);

    // Spans arrive in batches, each process and the workflow's sink exporting on its own: an activity's
    // span can come before the workflow span that started it. Wait for the whole tree, not its first leaves.
    const orphansIn = (spans: typeof receiver.spans) => {
      const ids = new Set(spans.map((s) => s.spanId));
      return spans.filter((s) => !ids.has(s.parentSpanId));
    };
    const spans = await eventually(() => {
      const mine = receiver.spans.filter((s) => s.traceId === traceId);
      const has = (service: string, name: RegExp): boolean =>
        mine.some((s) => s.service === service && name.test(s.name));
      return has('dipb-api', /^POST \/api\/v1\/recommendations\/:ref\/consensus$/) &&
        has('dipb-worker', /call-consensus/) &&
        has('dipb-worker', /^RunActivity:persist$/) &&
        orphansIn(mine).length === 1
        ? mine
        : undefined;
    }, 30_000).catch((err: unknown) => {
      throw new Error(
        `${String(err)}; received: ${JSON.stringify(receiver.spans.map((s) => [s.service, s.name, s.traceId === traceId]))}`,
      );
    });

    // One tree: every span but the API's server span has its parent in the trace (the API's parent is the caller's).
    expect(orphansIn(spans).map((s) => s.name)).toEqual(['POST /api/v1/recommendations/:ref/consensus']);
    // The command does not wait on mail: the call's messages go out on the delivery path, in the
    // workflow run's trace, not the request's.
    expect(spans.some((s) => /notify/.test(s.name))).toBe(false);
    await eventually(
      () =>
        receiver.spans.some(
          (s) => s.service === 'dipb-worker' && s.name === 'RunActivity:notify' && s.traceId !== traceId,
        ),
      30_000,
    );
  }, 60_000);
});
