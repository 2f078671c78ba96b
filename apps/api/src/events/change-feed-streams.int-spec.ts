import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Actor } from '@app/domain';
import request from 'supertest';
import { readSse } from '../../../../libs/testing/src/sse';
import { waitFor } from '../../../../libs/testing/src/wait';
import { MetricsModule } from '../metrics/metrics.module';
import { MetricsService } from '../metrics/metrics.service';
import { useModuleApp } from '../testing/module-app';
import { EventsModule } from './events.module';

// Small bounds, so a reader that takes nothing is dropped within seconds, and a quiet stream beats fast
// (put back after: the spec files of a run share the process).
const BOUNDS = { FEED_HEARTBEAT_MS: '300', FEED_STREAM_BUFFER_BYTES: String(64 * 1024), FEED_STREAM_STALL_MS: '1500' };
const saved = Object.fromEntries(Object.keys(BOUNDS).map((k) => [k, process.env[k]]));
Object.assign(process.env, BOUNDS);
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const secretariat: Actor = { id: 'sec-feed', name: 'Feed Reader', roles: ['secretariat'] };
const served = useModuleApp('feed_stream', [EventsModule, MetricsModule], secretariat);
const BULK = 'DIPB-2099-0001';
const QUIET = 'DIPB-2099-0002';
const EVENTS = 6000;
let base = '';
const port = () => ((served.app.getHttpServer() as Server).address() as AddressInfo).port;

beforeAll(async () => {
  // Far more than any socket buffer holds: 6,000 events of ~2 KB (about 13 MB of stream).
  await served.db().dataSource.query(
    `INSERT INTO events (reference, seq, type, at, actor, revision, data)
     SELECT $1, g, 'revised', now(), '{"id": "system", "role": "system"}', 1, jsonb_build_object('note', repeat('n', 2000))
       FROM generate_series(1, $2::int) g`,
    [BULK, EVENTS],
  );
  await served.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port()}`;
});

const stream = (query: string, lastEventId?: string) =>
  readSse(`${base}/api/v1/events/stream${query}`, lastEventId ? { 'last-event-id': lastEventId } : {});

const metric = async (name: string): Promise<number> => {
  const text = await served.app.get(MetricsService).registry.getSingleMetricAsString(name);
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
};

describe('the live change feed (GET /api/v1/events/stream)', () => {
  it('sends each event with its position as id, and resumes after Last-Event-ID without a gap or a repeat', async () => {
    const first = await stream(`?reference=${BULK}`);
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('content-type')).toContain('text/event-stream');
    await waitFor('10 events', () => first.messages.length >= 10, { timeoutMs: 10_000 });
    await first.stop();
    const seqs = first.messages.map((m) => (JSON.parse(m.data) as { seq: number }).seq);
    expect(seqs.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first.messages[0]!.event).toBe('revised');
    // The ids are the feed's positions: the JSON route from the first gives the second.
    const page = (await request(served.server()).get(`/api/v1/events?reference=${BULK}&limit=2`).expect(200)).body as {
      items: { position: string; seq: number }[];
    };
    expect(page.items.map((i) => i.position)).toEqual(first.messages.slice(0, 2).map((m) => m.id));

    const last = first.messages.at(-1)!;
    const resumed = await stream(`?reference=${BULK}`, last.id);
    await waitFor('5 more events', () => resumed.messages.length >= 5, { timeoutMs: 10_000 });
    await resumed.stop();
    const next = (JSON.parse(last.data) as { seq: number }).seq + 1;
    expect(resumed.messages.slice(0, 5).map((m) => (JSON.parse(m.data) as { seq: number }).seq)).toEqual([
      next,
      next + 1,
      next + 2,
      next + 3,
      next + 4,
    ]);
  });

  it('beats while nothing happens, then sends what is committed', async () => {
    const quiet = await stream(`?reference=${QUIET}`);
    await waitFor('two heartbeats', () => quiet.comments() >= 2, { timeoutMs: 5000 });
    expect(quiet.messages).toEqual([]);
    await served
      .db()
      .dataSource.query(
        `INSERT INTO events (reference, seq, type, at, actor, revision, data) VALUES ($1, 1, 'revised', now(), '{"id": "system", "role": "system"}', 1, '{}')`,
        [QUIET],
      );
    await waitFor('the event committed', () => quiet.messages.length === 1, { timeoutMs: 10_000 });
    await quiet.stop();
    expect(JSON.parse(quiet.messages[0]!.data)).toMatchObject({ reference: QUIET, seq: 1, type: 'revised' });
  });

  it('drops a reader that takes nothing, while other callers are served as usual', async () => {
    const droppedBefore = await metric('dipb_feed_streams_dropped_total');
    // A client that sends its request, reads the first bytes, then takes nothing more.
    const socket = connect(port(), '127.0.0.1');
    let received = 0;
    let closedAt = 0;
    socket.on('close', () => (closedAt = Date.now()));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `GET /api/v1/events/stream?reference=${BULK} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`,
    );
    await new Promise<void>((resolve) =>
      socket.once('data', (b: Buffer) => {
        received += b.length;
        resolve();
      }),
    );
    socket.pause();
    const stalledAt = Date.now();
    await waitFor('the stalled stream open on the server', async () => (await metric('dipb_feed_streams_open')) === 1, {
      timeoutMs: 5000,
    });

    // Meanwhile another caller reads the feed as usual.
    const t0 = Date.now();
    const other = await request(served.server()).get(`/api/v1/events?reference=${BULK}&limit=100`).expect(200);
    const otherMs = Date.now() - t0;
    expect((other.body as { items: unknown[] }).items).toHaveLength(100);

    await waitFor(
      'the stalled reader dropped',
      async () => (await metric('dipb_feed_streams_dropped_total')) > droppedBefore,
      {
        timeoutMs: 30_000,
      },
    );
    const droppedAfterMs = Date.now() - stalledAt;
    await waitFor('no stream left open', async () => (await metric('dipb_feed_streams_open')) === 0, {
      timeoutMs: 5000,
    });
    // What it had taken when it stopped reading is a small part of the stream it asked for.
    process.stdout.write(
      `[feed stream] a reader that took ${received} bytes then nothing was dropped ${droppedAfterMs} ms later; another caller's page of 100 took ${otherMs} ms meanwhile\n`,
    );
    socket.resume();
    await waitFor('the connection closed by the server', () => closedAt > 0, { timeoutMs: 30_000 });
    expect(received).toBeLessThan(EVENTS * 2000);
  });

  it('refuses a position it did not give before the stream starts', async () => {
    const res = await request(served.server()).get('/api/v1/events/stream').set('Last-Event-ID', 'forged').expect(400);
    expect(JSON.stringify(res.body)).toContain('after is not a position this API returned');
  });
});
