/**
 * sync: how fast another system keeps up with the service, through the change feed and through webhooks,
 * each figure beside a baseline measured in the same run.
 *
 * 1. Feed read: the whole change feed (at least `events`, 20,000 by default, made through the API:
 *    recommendations raised and called to consensus, the calls mailed to the 32 nations, each message an
 *    event) read from the start through `GET /api/v1/events?limit=500` with the secretariat's token,
 *    resuming from each page's `position`, against bare `pg` reading the same rows 500 at a time, keyset-paged,
 *    in the feed's order `(tx, id)` and in `id` order. Three passes each, taking turns; the median pass counts.
 * 2. Webhook lag: a `WebhookReceiver` subscribed to every event while `burst` consensus positions (1,024)
 *    are given at concurrency 16; per event, lag = the receiver's arrival − the event's `at`, and the time
 *    to drain the burst (last arrival − the first command sent). Baseline: a bare undici loop POSTing the
 *    same bodies (same headers, signed the same way) one at a time to another receiver, each when its event
 *    came in the burst (the burst's schedule, replayed from the loop's start), with the same lag definition.
 *    Where the time went: each commit heard by a LISTEN of the bench's own on the projection's channel, the
 *    delivery log (`GET /api/v1/webhooks/{id}/deliveries`: when each POST started, how long it took), and a
 *    delivery's three statements timed alone by bare `pg`.
 * 3. Commands with subscriptions: 200 consensus positions at concurrency 8 with no subscription against
 *    200 with five receivers subscribed to every event, in slices of 100 taking turns (none, five, five,
 *    none), each slice once the machine is quiet. The subscriptions are deleted at the end.
 */
import { randomUUID } from 'node:crypto';
import { Client as PgClient, Pool } from 'pg';
import { Agent, request } from 'undici';
import { NATION_CODES, webhookId, type NationCode } from '@app/domain';
import { webhookHeaders } from '../../libs/notifications/src/webhooks/signing';
import { RECOMMENDATION_CHANGED } from '../../libs/persistence/src/repositories/recommendation-changes';
import { call, WebhookReceiver } from '../../libs/testing/src';
import { sleep, waitFor } from '../../libs/testing/src/wait';
import {
  command,
  expect2xx,
  joined,
  latency,
  log,
  pool,
  raiseVia,
  timed,
  tokens,
  waitForQuiet,
  type BenchStack,
  type Latency,
  type Timed,
  type Tokens,
} from './common';

const PAGE = 500;
const NATIONS = NATION_CODES as readonly NationCode[];

export interface FeedRead {
  events: number;
  pages: number;
  ms: number;
  eventsPerSecond: number;
}

export interface LagFigures extends Latency {
  max: number;
  /** Last arrival − the burst's (or the loop's) start. */
  drainMs: number;
}

export interface SyncResult {
  feed: {
    /** Events in the feed when it was read. */
    events: number;
    /** Recommendations raised and called to consensus to get there, and how long that took. */
    made: { recommendations: number; seconds: number };
    pageSize: number;
    passes: number;
    /** The median pass of each. */
    api: FeedRead;
    pg: FeedRead;
    pgById: FeedRead;
    /** API events/s over bare pg's (the feed's order). */
    ratio: number;
    ratioById: number;
  };
  burst: {
    /** Events the subscription owed after the burst (all of them delivered). */
    events: number;
    commands: number;
    concurrency: number;
    /** First command sent → last answered. */
    commandSeconds: number;
    commandLatency: Latency & { errors: number };
    webhook: LagFigures;
    /** The receiver's arrival − when the event's command was answered (negative: the receiver had it first). */
    fromAnswer: Latency;
    bare: LagFigures;
    ratioP50: number;
    ratioP99: number;
    ratioDrain: number;
    /** Where a delivery's time went, from the delivery log (ms, p50 / p99). */
    breakdown: {
      /**
       * The event's `at` → its projection committed: the commit's `pg_notify`, heard by the bench's own
       * LISTEN (the event written by the workflow's persisting activity, in its transaction).
       */
      commit: Latency;
      /** Committed → the delivery's POST started (the loop woken, the horizon and the feed read, the subscription read, events ahead). */
      pickup: Latency;
      /** Committed → the command answered (the update completing through Temporal, the view read back, the HTTP answer). */
      answer: Latency;
      /** POST started → the receiver had it (sign, send, verify). */
      post: Latency;
      /** One attempt's start → the next one's, when the next event had committed before (the per-event cycle). */
      cycle: Latency;
      /** Of that cycle, the POST as the sender timed it (`latencyMs`, to the answer). */
      cyclePost: Latency;
      /** How many consecutive pairs had the next event waiting (a backlog). */
      backlogged: number;
      /** The bare loop's POST, to the receiver's answer. */
      barePost: Latency;
      /** The three statements of each delivery, timed alone by bare pg (read the subscription, record the attempt, advance). */
      statements: { read: Latency; record: Latency; advance: Latency };
    };
  };
  subscriptions: {
    operations: number;
    concurrency: number;
    count: number;
    none: Latency & { throughput: number; errors: number };
    five: Latency & { throughput: number; errors: number };
    ratioP50: number;
    ratioP99: number;
    /**
     * Deliveries of the positions of the two slices to the five receivers, their lag (its `drainMs`: last
     * arrival − the last command answered; negative when the receivers had everything first).
     */
    delivered: number;
    lag: LagFigures;
  };
}

interface FeedItem {
  reference: string;
  seq: number;
  type: string;
  at: string;
  position: string;
  data: Record<string, unknown>;
}

interface Subscription {
  id: string;
  position: string;
  secret: string;
}

interface Delivery {
  webhookId: string;
  at: string;
  latencyMs: number;
  delivered: boolean;
}

const countEvents = async (db: Pool) =>
  (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;

/**
 * Waits until the mail the consensus calls owe is out and recorded: nothing due left in the outbox and
 * no new event for 5 s (a call's messages enter the outbox only when the worker prepares them, so the
 * outbox alone can look empty while they are still coming); then, with `quiet`, for a quiet machine.
 */
async function settle(db: Pool, quiet: boolean): Promise<number> {
  const started = Date.now();
  let last = -1;
  let stable = 0;
  while (Date.now() - started < 900_000) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE status = 'pending' AND due_at <= now()`,
    );
    const events = await countEvents(db);
    stable = events === last && (rows[0]?.n ?? 0) === 0 ? stable + 1 : 0;
    last = events;
    if (stable >= 5) break;
    await sleep(1000);
  }
  if (quiet) await waitForQuiet({ maxMs: 30_000 });
  return (Date.now() - started) / 1000;
}

/**
 * What each delivery costs the database beside its POST: the three statements `deliverOne` runs (as
 * WebhooksRepository writes them: the subscription read again, the attempt recorded, the position
 * moved), timed alone by bare `pg` on one connection, on a subscription that is turned off.
 */
async function statementCosts(
  databaseUrl: string,
  subscription: string,
  sample: { webhookId: string; position: string; type: string; reference: string },
  n = 200,
): Promise<{ read: Latency; record: Latency; advance: Latency }> {
  const db = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const time = async (sql: string, params: (i: number) => unknown[]) => {
      for (let i = 0; i < 20; i++) await db.query(sql, params(i));
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        await db.query(sql, params(i));
        out.push(performance.now() - t);
      }
      return latency(out);
    };
    const read = await time(
      `SELECT id, url, description, event_types, filter, active, secret, previous_secret, previous_secret_until,
         position_tx::text AS position_tx, position_id::text AS position_id, failures, failing_since, disabled_at,
         disabled_reason, created_at, updated_at, clock_timestamp() AS now FROM webhook_subscriptions WHERE id = $1`,
      () => [subscription],
    );
    const record = await time(
      `INSERT INTO webhook_deliveries
         (subscription, webhook_id, position, event_type, reference, attempt, at, latency_ms, status, delivered, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      (i) => [
        subscription,
        sample.webhookId,
        sample.position,
        sample.type,
        sample.reference,
        1 + i,
        new Date(),
        2,
        204,
        true,
        null,
      ],
    );
    const { rows } = await db.query<{ tx: string; id: string }>(
      'SELECT position_tx::text AS tx, position_id::text AS id FROM webhook_subscriptions WHERE id = $1',
      [subscription],
    );
    const at = rows[0]!;
    const advance = await time(
      `UPDATE webhook_subscriptions SET position_tx = $4::xid8, position_id = $5::bigint, failures = 0, failing_since = NULL
        WHERE id = $1 AND position_tx = $2::xid8 AND position_id = $3::bigint`,
      () => [subscription, at.tx, at.id, at.tx, at.id],
    );
    return { read, record, advance };
  } finally {
    await db.end();
  }
}

/** Recommendations in wg-consensus with a long silence (each call mailed to the 32 nations). */
function openRounds(stack: BenchStack, secretariat: string, count: number, from: number): Promise<string[]> {
  return pool(
    Array.from({ length: count }, (_, i) => from + i),
    16,
    async (i) => {
      const ref = await raiseVia(stack.api, secretariat, {
        title: `Sync bench ${i}`,
        policy: { consensusSilence: 'P14D', silenceReminders: [] },
      });
      expect2xx(
        await command(stack.api, `/api/v1/recommendations/${ref}/consensus`, secretariat, { silence: 'P14D' }),
        'consensus',
      );
      return ref;
    },
  );
}

/** The feed through the API, from `after` (the start when undefined) to its end, a page at a time. */
async function readFeed(
  stack: BenchStack,
  token: string,
  after?: string,
  limit = PAGE,
): Promise<{ items: FeedItem[]; pages: number }> {
  const items: FeedItem[] = [];
  let pages = 0;
  for (;;) {
    const qs = `limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
    const page = expect2xx(
      await call<{ items: FeedItem[]; position: string }>(stack.api, 'GET', `/api/v1/events?${qs}`, { token }),
      'feed',
    );
    pages++;
    items.push(...page.items);
    after = page.position;
    if (page.items.length < limit) return { items, pages };
  }
}

async function timedRead(fn: () => Promise<{ events: number; pages: number }>): Promise<FeedRead> {
  const t = performance.now();
  const { events, pages } = await fn();
  const ms = performance.now() - t;
  return { events, pages, ms, eventsPerSecond: (events / ms) * 1000 };
}

/** The same rows as the feed, by bare `pg`, 500 at a time, keyset-paged in the feed's order or by id. */
async function readBare(db: Pool, order: 'feed' | 'id'): Promise<{ events: number; pages: number }> {
  let events = 0;
  let pages = 0;
  let tx = '0';
  let id = '0';
  for (;;) {
    const { rows } =
      order === 'feed'
        ? await db.query<{ tx: string; id: string }>(
            `SELECT e.reference, e.seq, e.type, e.at, e.actor, e.revision, e.data, e.tx::text AS tx, e.id::text AS id
               FROM events e WHERE (e.tx, e.id) > ($1::xid8, $2::bigint) ORDER BY e.tx, e.id LIMIT $3`,
            [tx, id, PAGE],
          )
        : await db.query<{ tx: string; id: string }>(
            `SELECT reference, seq, type, at, actor, revision, data, tx::text AS tx, id::text AS id
               FROM events WHERE id > $1::bigint ORDER BY id LIMIT $2`,
            [id, PAGE],
          );
    pages++;
    events += rows.length;
    const last = rows.at(-1);
    if (last) [tx, id] = [last.tx, last.id];
    if (rows.length < PAGE) return { events, pages };
  }
}

const median = (reads: FeedRead[]): FeedRead => [...reads].sort((a, b) => a.ms - b.ms)[Math.floor(reads.length / 2)]!;

async function subscribe(stack: BenchStack, t: Tokens, receiver: WebhookReceiver, what: string): Promise<Subscription> {
  const res = await call<Subscription>(stack.api, 'POST', '/api/v1/webhooks', {
    token: t.secretariat,
    body: { url: receiver.url, eventTypes: ['*'], description: what },
  });
  if (res.status !== 201) throw new Error(`subscribe: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  receiver.secrets = [res.body.secret];
  return res.body;
}

async function unsubscribe(stack: BenchStack, t: Tokens, id: string): Promise<void> {
  const res = await call(stack.api, 'DELETE', `/api/v1/webhooks/${id}`, { token: t.secretariat });
  if (res.status !== 204) throw new Error(`delete subscription ${id}: ${res.status}`);
}

/** When the receiver first applied each webhook id. */
const arrivals = (r: WebhookReceiver) => new Map(r.applied.map((w) => [w.id, w.at]));

/** Waits until the receiver has applied every event the feed holds after the subscription's position; those events. */
async function drained(stack: BenchStack, t: Tokens, sub: Subscription, r: WebhookReceiver): Promise<FeedItem[]> {
  const { items } = await readFeed(stack, t.secretariat, sub.position);
  await waitFor(
    `the ${items.length} events of subscription ${sub.id} at its receiver`,
    () => {
      const got = arrivals(r);
      return items.every((e) => got.has(webhookId(e)));
    },
    { timeoutMs: 600_000, intervalMs: 200 },
  );
  return items;
}

/** The subscription's delivery log, every attempt, oldest first. */
async function deliveryLog(stack: BenchStack, t: Tokens, id: string): Promise<Delivery[]> {
  const out: Delivery[] = [];
  let before: string | null = null;
  do {
    const page: { items: Delivery[]; nextBefore: string | null } = expect2xx(
      await call<{ items: Delivery[]; nextBefore: string | null }>(
        stack.api,
        'GET',
        `/api/v1/webhooks/${id}/deliveries?limit=200${before ? `&before=${before}` : ''}`,
        { token: t.secretariat },
      ),
      'deliveries',
    );
    out.push(...page.items);
    before = page.nextBefore;
  } while (before);
  return out.reverse();
}

const lagFigures = (lags: number[], drainMs: number): LagFigures => ({
  ...latency(lags),
  max: Math.max(...lags),
  drainMs,
});

const summary = (t: Timed) => ({
  ...latency(t.latencies),
  throughput: t.throughput,
  errors: t.errors,
});

/** (recommendation, nation) pairs, nation-major: the commands in flight hit different workflows. */
const pairs = (refs: string[]) => NATIONS.flatMap((nation) => refs.map((ref) => ({ ref, nation })));

export async function benchSync(
  stack: BenchStack,
  { events = 20_000, burst = 1024, burstConcurrency = 16, operations = 200, concurrency = 8, subscriptions = 5 } = {},
): Promise<SyncResult> {
  const t = await tokens(NATIONS);
  const db = new Pool({ connectionString: stack.databaseUrl, max: 2 });
  const receivers: WebhookReceiver[] = [];
  const made: string[] = [];
  const agent = new Agent({ connections: 8, keepAliveTimeout: 10_000 });
  try {
    const position = (ref: string, nation: NationCode) => () =>
      call(stack.api, 'POST', `/api/v1/recommendations/${ref}/consensus/positions`, {
        token: t.wg.get(nation)!,
        body: { position: 'concur', comment: `${nation} concurs` },
        headers: { 'idempotency-key': randomUUID() },
      });

    // The rounds the positions need (a warm-up, the burst, the series), then more until the feed is long enough.
    const burstRecs = Math.ceil(burst / NATIONS.length);
    const seriesRecs = Math.ceil((operations * 2) / NATIONS.length);
    const needed = 1 + burstRecs + seriesRecs;
    const makeStarted = Date.now();
    const refs: string[] = [];
    for (;;) {
      const have = await countEvents(db);
      if (have >= events && refs.length >= needed) break;
      // A raise and a consensus call come to ~34 events once the calls to the 32 nations are mailed and recorded.
      const count =
        have >= events
          ? needed - refs.length
          : Math.min(256, Math.max(needed - refs.length, Math.ceil((events - have) / 34)));
      log(`sync: ${have} events in the feed; raising and calling ${count} more recommendations`);
      refs.push(...(await openRounds(stack, t.secretariat, count, refs.length)));
      await settle(db, false);
    }
    const makeSeconds = (Date.now() - makeStarted) / 1000;
    await settle(db, true);

    // 1. The whole feed, through the API and by bare pg, taking turns.
    const passes = 3;
    const reads = { api: [] as FeedRead[], pg: [] as FeedRead[], pgById: [] as FeedRead[] };
    const viaApi = async () => {
      const r = await readFeed(stack, t.secretariat);
      return { events: r.items.length, pages: r.pages };
    };
    await viaApi();
    await readBare(db, 'feed');
    log(`sync: reading the whole feed ${passes} times each through the API and by bare pg, ${PAGE} a page`);
    for (let pass = 0; pass < passes; pass++) {
      reads.api.push(await timedRead(viaApi));
      reads.pg.push(await timedRead(() => readBare(db, 'feed')));
      reads.pgById.push(await timedRead(() => readBare(db, 'id')));
    }
    const [api, pg, pgById] = [median(reads.api), median(reads.pg), median(reads.pgById)];
    if (api.events !== pg.events) log(`sync: the API read ${api.events} events, bare pg ${pg.events}`);

    // 2. A burst of positions with one receiver subscribed to everything, then the bare loop on its schedule.
    const [warm, ...rest] = refs;
    const burstRefs = rest.slice(0, burstRecs);
    const seriesRefs = rest.slice(burstRecs, burstRecs + seriesRecs);
    await timed(
      NATIONS.slice(0, 16).map((n) => async () => (await position(warm!, n)()).status === 200),
      4,
    );
    const receiver = await WebhookReceiver.start();
    receivers.push(receiver);
    const sub = await subscribe(stack, t, receiver, 'bench burst');
    made.push(sub.id);
    await settle(db, true);
    // Each commit to a recommendation's row, as the delivery loop hears it (the same channel).
    const listener = new PgClient({ connectionString: stack.databaseUrl });
    const heard = new Map<string, number[]>();
    listener.on('notification', (n) => {
      const at = Date.now();
      if (n.payload) heard.set(n.payload, [...(heard.get(n.payload) ?? []), at]);
    });
    await listener.connect();
    await listener.query(`LISTEN ${RECOMMENDATION_CHANGED}`);
    const answered = new Map<string, number>();
    const ops = pairs(burstRefs)
      .slice(0, burst)
      .map(({ ref, nation }) => async () => {
        const ok = (await position(ref, nation)()).status === 200;
        answered.set(`${ref}/${nation}`, Date.now());
        return ok;
      });
    log(`sync: a burst of ${ops.length} positions at concurrency ${burstConcurrency}, one subscription to every event`);
    const t0 = Date.now();
    const commands = await timed(ops, burstConcurrency);
    const commandSeconds = (Math.max(...answered.values()) - t0) / 1000;
    await sleep(1000);
    await listener.end();
    const owed = await drained(stack, t, sub, receiver);
    const got = arrivals(receiver);
    const arrived = owed.map((e) => got.get(webhookId(e))!);
    const webhook = lagFigures(
      owed.map((e, i) => arrived[i]! - Date.parse(e.at)),
      Math.max(...arrived) - t0,
    );
    const answeredAt = (e: FeedItem) =>
      e.type === 'consensus-position' ? answered.get(`${e.reference}/${String(e.data.nation)}`) : undefined;
    const fromAnswer = latency(
      owed.flatMap((e, i) => {
        const a = answeredAt(e);
        return a === undefined ? [] : [arrived[i]! - a];
      }),
    );

    // Where the time went: the commits heard, and the delivery log's attempts (when each POST started, how long it took).
    const committedAt = (e: FeedItem) => heard.get(e.reference)?.find((at) => at >= Date.parse(e.at));
    const attempts = new Map(
      (await deliveryLog(stack, t, sub.id)).filter((d) => d.delivered).map((d) => [d.webhookId, d]),
    );
    const commit: number[] = [];
    const pickup: number[] = [];
    const answer: number[] = [];
    const post: number[] = [];
    const cycle: number[] = [];
    const cyclePost: number[] = [];
    owed.forEach((e, i) => {
      const d = attempts.get(webhookId(e));
      if (!d) return;
      const started = Date.parse(d.at);
      const c = committedAt(e);
      const a = answeredAt(e);
      if (c !== undefined) {
        commit.push(c - Date.parse(e.at));
        pickup.push(started - c);
        if (a !== undefined) answer.push(a - c);
      }
      post.push(arrived[i]! - started);
      const next = owed[i + 1];
      const nd = next && attempts.get(webhookId(next));
      const nc = next && committedAt(next);
      if (nd && nc !== undefined && nc < started) {
        cycle.push(Date.parse(nd.at) - started);
        cyclePost.push(d.latencyMs);
      }
    });
    const uncommitted = owed.length - commit.length;
    if (uncommitted) log(`sync: ${uncommitted} events of the burst without a commit heard for them`);
    expect2xx(
      await call(stack.api, 'PATCH', `/api/v1/webhooks/${sub.id}`, { token: t.secretariat, body: { active: false } }),
      'turn the subscription off',
    );
    await sleep(1000);
    const sample = owed[0]!;
    const statements = await statementCosts(stack.databaseUrl, sub.id, {
      webhookId: webhookId(sample),
      position: sample.position,
      type: sample.type,
      reference: sample.reference,
    });
    await unsubscribe(stack, t, sub.id);
    made.splice(made.indexOf(sub.id), 1);

    // The bare loop: the same bodies and headers, one at a time, each when its event came in the burst.
    const bare = await WebhookReceiver.start();
    receivers.push(bare);
    bare.secrets = receiver.secrets;
    const bodies = new Map(receiver.applied.map((w) => [w.id, w]));
    const send = async (id: string, contentType: string, body: string) => {
      const started = performance.now();
      const res = await request(bare.url, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          ...webhookHeaders(bare.secrets, id, new Date(), body),
          'user-agent': 'dipb-webhooks/1',
        },
        body,
        dispatcher: agent,
      });
      await res.body.dump();
      if (res.statusCode !== 204) throw new Error(`bare POST answered ${res.statusCode}`);
      return performance.now() - started;
    };
    const first = bodies.get(webhookId(owed[0]!))!;
    for (let i = 0; i < 8; i++) await send(`warm-up-${i}`, first.contentType, first.body);
    await waitForQuiet({ maxMs: 30_000 });
    log(`sync: the bare loop, ${owed.length} POSTs on the burst's schedule`);
    const t1 = Date.now();
    const due = owed.map((e) => t1 + (Date.parse(e.at) - t0));
    const barePost: number[] = [];
    for (let i = 0; i < owed.length; i++) {
      const wait = due[i]! - Date.now();
      if (wait > 0) await sleep(wait);
      const w = bodies.get(webhookId(owed[i]!))!;
      barePost.push(await send(w.id, w.contentType, w.body));
    }
    const bareGot = arrivals(bare);
    const bareArrived = owed.map((e) => bareGot.get(webhookId(e))!);
    const bareLag = lagFigures(
      owed.map((_, i) => bareArrived[i]! - due[i]!),
      Math.max(...bareArrived) - t1,
    );

    // 3. The same positions with no subscription and with five, in slices taking turns.
    const series = pairs(seriesRefs).slice(0, operations * 2);
    const half = Math.ceil(operations / 2);
    const slices = [0, 1, 2, 3].map((k) =>
      series.slice(k * half, (k + 1) * half).map(
        ({ ref, nation }) =>
          async () =>
            (await position(ref, nation)()).status === 200,
      ),
    );
    const five: { receiver: WebhookReceiver; sub: Subscription }[] = [];
    const slice = async (k: number) => {
      await waitForQuiet({ maxMs: 30_000 });
      return timed(slices[k]!, concurrency);
    };
    log(
      `sync: ${operations} positions at concurrency ${concurrency} with no subscription and ${operations} with ${subscriptions} (slices of ${half}: none, ${subscriptions}, ${subscriptions}, none)`,
    );
    const none1 = await slice(0);
    for (let i = 0; i < subscriptions; i++) {
      const r = await WebhookReceiver.start();
      receivers.push(r);
      const s = await subscribe(stack, t, r, `bench subscriber ${i + 1}`);
      made.push(s.id);
      five.push({ receiver: r, sub: s });
    }
    await sleep(2000);
    const five1 = await slice(1);
    const five2 = await slice(2);
    const fiveEnded = Date.now();
    const lags: number[] = [];
    let lastArrival = 0;
    for (const { receiver: r, sub: s } of five) {
      const items = await drained(stack, t, s, r);
      const at = arrivals(r);
      for (const e of items) {
        const arrival = at.get(webhookId(e))!;
        lags.push(arrival - Date.parse(e.at));
        lastArrival = Math.max(lastArrival, arrival);
      }
    }
    for (const { sub: s } of five) {
      await unsubscribe(stack, t, s.id);
      made.splice(made.indexOf(s.id), 1);
    }
    await settle(db, false);
    const none2 = await slice(3);
    const none = summary(joined([none1, none2]));
    const withFive = summary(joined([five1, five2]));

    return {
      feed: {
        events: pg.events,
        made: { recommendations: refs.length, seconds: makeSeconds },
        pageSize: PAGE,
        passes,
        api,
        pg,
        pgById,
        ratio: api.eventsPerSecond / pg.eventsPerSecond,
        ratioById: api.eventsPerSecond / pgById.eventsPerSecond,
      },
      burst: {
        events: owed.length,
        commands: ops.length,
        concurrency: burstConcurrency,
        commandSeconds,
        commandLatency: { ...latency(commands.latencies), errors: commands.errors },
        webhook,
        fromAnswer,
        bare: bareLag,
        ratioP50: webhook.p50 / bareLag.p50,
        ratioP99: webhook.p99 / bareLag.p99,
        ratioDrain: webhook.drainMs / bareLag.drainMs,
        breakdown: {
          commit: latency(commit),
          pickup: latency(pickup),
          answer: latency(answer),
          post: latency(post),
          cycle: latency(cycle),
          cyclePost: latency(cyclePost),
          backlogged: cycle.length,
          barePost: latency(barePost),
          statements,
        },
      },
      subscriptions: {
        operations: none1.latencies.length + none2.latencies.length,
        concurrency,
        count: subscriptions,
        none,
        five: withFive,
        ratioP50: withFive.p50 / none.p50,
        ratioP99: withFive.p99 / none.p99,
        delivered: lags.length,
        lag: lagFigures(lags, lastArrival - fiveEnded),
      },
    };
  } finally {
    for (const id of made) await unsubscribe(stack, t, id).catch(() => undefined);
    for (const r of receivers) await r.close();
    await agent.close();
    await db.end();
  }
}
