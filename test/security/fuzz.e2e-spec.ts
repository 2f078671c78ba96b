import { call, startApi, startWorker, tokenFor, type RunningApi, type RunningWorker } from '@app/testing';
import type { Client } from '@temporalio/client';
import fc from 'fast-check';
import { Client as PgClient } from 'pg';
import { FAST_POLICY, raise, temporalClient } from '../lifecycle.helpers';

/**
 * Property: whatever a caller sends to any route (body, query, path), the service answers 4xx/2xx,
 * never 5xx; errors are problem+json, successes JSON; and a rejected request changes neither the
 * database nor the workflow of a fixed recommendation.
 */

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 100);

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom(
    "' OR 1=1; DROP TABLE events;--",
    '"; SELECT pg_sleep(10); --',
    '<script>alert(1)</script>',
    '{{constructor.constructor("return process")()}}',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '\u202eevil\u202c',
    '\u200b\u200d\ufeff',
    '👩🏽‍🚀🇫🇷',
    '../../etc/passwd',
    '%00%ff',
    'P',
    'PT',
    'P-1D',
    'P99999999999Y',
    '2026-02-30T00:00:00Z',
    '2026-12-04T11:00:00',
    '+275760-09-13T00:00:00Z',
    'FRA',
    'fra',
    'concur',
    'object',
    'accepted',
    'in-progress',
    'IC',
    'en',
    'DIPB-2026-0001',
    '__proto__',
  ),
  fc.nat({ max: 70_000 }).map((n) => 'x'.repeat(n)),
);

const deep = fc.nat({ max: 60 }).map((n) => {
  let v: unknown = 'leaf';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
});

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 101, -1, 0, null, true, false),
  fc.array(hostileString, { maxLength: 5 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 4 }),
  deep,
);

/** A body built from a route's own fields (each good, hostile or missing) plus, sometimes, strangers. */
function bodyFor(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const record = fc.record(
    Object.fromEntries(Object.entries(fields).map(([k, good]) => [k, fc.oneof(good, hostileValue)])),
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 6, arbitrary: record },
    {
      weight: 1,
      arbitrary: fc
        .tuple(record, fc.dictionary(hostileString, hostileValue, { minKeys: 1, maxKeys: 3 }))
        .map(([a, b]) => ({ ...b, ...(a as object) })),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}

const text = fc.string({ minLength: 1, maxLength: 40 });
const iso = fc.constantFrom('2030-01-01T00:00:00Z', 'P1D', 'PT2S');

/** Percent-encodes anything, even an unpaired surrogate (sent as the bytes of its CESU-8 form, which is not UTF-8). */
function encodePath(s: string): string {
  return Array.from(s)
    .map((ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch)))
    .join('');
}

interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: fc.Arbitrary<string>;
  body?: fc.Arbitrary<unknown>;
}

describe('fuzz: hostile input on every route', () => {
  let api: RunningApi;
  let worker: RunningWorker;
  let temporal: { client: Client; close: () => Promise<void> };
  let pg: PgClient;
  let sec: string;
  let ref: string;
  let sink: string;
  /** A webhook subscription the fuzz aims at (off, so it delivers nothing meanwhile). */
  let hook: { id: string; position: string };
  const saved = process.env.RATE_LIMIT_PER_MINUTE;

  beforeAll(async () => {
    process.env.RATE_LIMIT_PER_MINUTE = '1000000';
    [api, worker] = await Promise.all([startApi(), startWorker()]);
    temporal = await temporalClient();
    pg = new PgClient({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    sec = await tokenFor({ sub: 'fuzz-sec', roles: ['secretariat'] });
    [ref, sink] = (
      await Promise.all([raise(api, sec, { policy: FAST_POLICY }), raise(api, sec, { policy: FAST_POLICY })])
    ).map((r) => r.reference) as [string, string];
    const created = await call<{ id: string; position: string }>(api, 'POST', '/api/v1/webhooks', {
      token: sec,
      body: { url: 'http://127.0.0.1:9/fuzz', eventTypes: ['raised'] },
    });
    if (created.status !== 201) throw new Error(`subscribing answered ${created.status}`);
    hook = created.body;
    await call(api, 'PATCH', `/api/v1/webhooks/${hook.id}`, { token: sec, body: { active: false } });
  });

  afterAll(async () => {
    // The contacts the fuzz changed (FRA's and DEU's), back as seeded, through the API (so the trail shows it):
    // the other tests of the shared database write to them.
    if (api && sec) {
      for (const [code, language] of [
        ['FRA', 'fr'],
        ['DEU', 'en'],
      ] as const) {
        const lower = code.toLowerCase();
        const put = async (path: string, body: unknown): Promise<void> => {
          const res = await call(api, 'PUT', `/api/v1/nations/${code}/${path}`, { token: sec, body });
          if (res.status !== 200) throw new Error(`restoring ${code} ${path}: ${res.status}`);
        };
        await put('director', { name: `Director ${code}`, email: `director.${lower}@mod.example`, language });
        await put('senior-rep', { name: `Senior representative ${code}`, email: `senior.${lower}@mod.example` });
        for (const wg of ['IC', 'SCS', 'SI'])
          await put(`wg-delegates/${wg}`, {
            name: `Delegate ${code} ${wg}`,
            email: `wg-${wg.toLowerCase()}.${lower}@mod.example`,
          });
      }
    }
    // Every subscription the fuzz made (a valid body can make one), gone with their loops.
    if (api && sec) {
      const hooks = await call<{ id: string }[]>(api, 'GET', '/api/v1/webhooks', { token: sec });
      for (const h of hooks.body) await call(api, 'DELETE', `/api/v1/webhooks/${h.id}`, { token: sec });
    }
    if (saved === undefined) delete process.env.RATE_LIMIT_PER_MINUTE;
    else process.env.RATE_LIMIT_PER_MINUTE = saved;
    await pg?.end();
    await temporal?.close();
    await worker?.stop();
    await api?.close();
  });

  /** What a rejected request must leave untouched. */
  async function snapshot(): Promise<string> {
    const { rows } = await pg.query<{ r: string; i: string; e: string; d: string; c: string; w: string; h: string }>(
      `SELECT (SELECT count(*) FROM recommendations) AS r, (SELECT count(*) FROM idempotency_keys) AS i,
              (SELECT count(*) FROM events WHERE reference = $1) AS e, (SELECT count(*) FROM directory_changes) AS d,
              (SELECT count(*) FROM calendar_changes) AS c, (SELECT count(*) FROM webhook_subscription_changes) AS w,
              (SELECT md5(string_agg(to_jsonb(h)::text, ',' ORDER BY h.id)) FROM webhook_subscriptions h) AS h`,
      [ref],
    );
    const history = (await temporal.client.workflow.getHandle(ref).describe()).historyLength;
    return JSON.stringify({ ...rows[0], history });
  }

  it('never answers 5xx, always problem+json on errors, and changes nothing when it refuses', async () => {
    const refPath = fc.oneof(
      { weight: 3, arbitrary: fc.constant(ref) },
      { weight: 1, arbitrary: hostileString.map((s) => encodePath(s.slice(0, 3000))) },
    );
    const nationPath = fc.oneof(
      fc.constantFrom('FRA', 'DEU', 'XXX', 'fra'),
      hostileString.map((s) => encodePath(s.slice(0, 3000))),
    );
    const query = (keys: string[]) =>
      fc
        .dictionary(
          fc.oneof(
            fc.constantFrom('q', ...keys),
            hostileString.map((s) => s.slice(0, 50)),
          ),
          hostileString.map((s) => s.slice(0, 3000)),
          { maxKeys: 4 },
        )
        .map((q) => (Object.keys(q).length ? `?${new URLSearchParams(q).toString()}` : ''));
    const base = (p: string) => fc.tuple(refPath).map(([r]) => `/api/v1/recommendations/${r}${p}`);

    const routes: Route[] = [
      {
        name: 'list',
        method: 'GET',
        path: query(['stage', 'workingGroup', 'nation', 'overdue', 'q', 'limit', 'cursor']).map(
          (q) => `/api/v1/recommendations${q}`,
        ),
      },
      {
        name: 'get',
        method: 'GET',
        path: fc.tuple(refPath, query(['asOf'])).map(([r, q]) => `/api/v1/recommendations/${r}${q}`),
      },
      { name: 'revisions', method: 'GET', path: base('/revisions') },
      {
        name: 'revision n',
        method: 'GET',
        path: fc
          .tuple(
            refPath,
            fc.oneof(
              fc.integer().map(String),
              fc.constantFrom('99999999999999999999', '1e3', '0x1', '-0'),
              hostileString.map((s) => encodePath(s.slice(0, 100))),
            ),
          )
          .map(([r, n]) => `/api/v1/recommendations/${r}/revisions/${n}`),
      },
      { name: 'events', method: 'GET', path: base('/events') },
      {
        name: 'change feed',
        method: 'GET',
        path: query(['after', 'limit', 'type', 'reference', 'nation', 'workingGroup']).map((q) => `/api/v1/events${q}`),
      },
      { name: 'nations', method: 'GET', path: query([]).map((q) => `/api/v1/nations${q}`) },
      { name: 'director changes', method: 'GET', path: nationPath.map((n) => `/api/v1/nations/${n}/changes`) },
      { name: 'overview', method: 'GET', path: query([]).map((q) => `/api/v1/reports/overview${q}`) },
      {
        name: 'calendar year',
        method: 'GET',
        path: fc
          .oneof(
            fc.integer().map(String),
            fc.constantFrom('2027', '1999', '2101', '0x7e3', '2027.0', '-2027'),
            hostileString.map((s) => encodePath(s.slice(0, 100))),
          )
          .map((y) => `/api/v1/calendar/${y}`),
      },
      ...(['PUT', 'DELETE'] as const).map((method): Route => ({
        name: `closure day (${method})`,
        method,
        path: fc
          .oneof(
            fc.constantFrom('2031-02-29', '2031-13-01', '2031-06-31', '31-06-10', '2031-6-10', '2031-06-10'),
            hostileString.map((s) => encodePath(s.slice(0, 100))),
          )
          .map((d) => `/api/v1/calendar/closure-days/${d}`),
        ...(method === 'PUT' ? { body: bodyFor({ reason: hostileString.map((s) => s.slice(0, 300)) }) } : {}),
      })),
      {
        name: 'raise',
        method: 'POST',
        path: fc.constant('/api/v1/recommendations'),
        body: bodyFor({
          title: text,
          summary: text,
          body: text,
          workingGroup: fc.constantFrom('IC', 'SCS', 'SI'),
          language: fc.constantFrom('en', 'fr'),
          nations: fc.constant(['FRA']),
          policy: fc.dictionary(
            fc.constantFrom('consensusSilence', 'responseDue', 'escalateAfter', 'responseReminders', 'autoSubmit'),
            hostileValue,
            { maxKeys: 3 },
          ),
          rapporteur: text,
        }),
      },
      {
        name: 'revise',
        method: 'POST',
        path: base('/revisions'),
        body: bodyFor({ title: text, summary: text, body: text, note: text }),
      },
      { name: 'consensus', method: 'POST', path: base('/consensus'), body: bodyFor({ deadline: iso, silence: iso }) },
      {
        name: 'consensus position',
        method: 'POST',
        path: base('/consensus/positions'),
        body: bodyFor({ position: fc.constantFrom('concur', 'abstain', 'object'), comment: text }),
      },
      {
        name: 'approval position',
        method: 'POST',
        path: base('/approval/positions'),
        body: bodyFor({ position: fc.constantFrom('concur', 'object'), comment: text }),
      },
      { name: 'submission', method: 'POST', path: base('/submission'), body: bodyFor({}) },
      {
        name: 'response',
        method: 'POST',
        path: fc.tuple(refPath, nationPath).map(([r, n]) => `/api/v1/recommendations/${r}/nations/${n}/response`),
        body: bodyFor({
          decision: fc.constantFrom('accepted', 'accepted-in-part', 'not-accepted', 'under-consideration'),
          comment: text,
          plannedCompletion: iso,
        }),
      },
      {
        name: 'progress',
        method: 'POST',
        path: fc.tuple(refPath, nationPath).map(([r, n]) => `/api/v1/recommendations/${r}/nations/${n}/progress`),
        body: bodyFor({
          status: fc.constantFrom('in-progress', 'implemented', 'not-implemented'),
          percent: fc.integer({ min: -5, max: 105 }),
          comment: text,
          evidenceUrl: fc.webUrl(),
        }),
      },
      { name: 'withdrawal', method: 'POST', path: base('/withdrawal'), body: bodyFor({ reason: hostileString }) },
      { name: 'closure', method: 'POST', path: base('/closure'), body: bodyFor({ reason: text }) },
      {
        name: 'director',
        method: 'PUT',
        path: nationPath.map((n) => `/api/v1/nations/${n}/director`),
        body: bodyFor({
          name: text,
          email: fc.emailAddress(),
          alternateEmail: fc.emailAddress(),
          language: fc.constantFrom('en', 'fr'),
        }),
      },
      {
        name: 'senior rep',
        method: 'PUT',
        path: nationPath.map((n) => `/api/v1/nations/${n}/senior-rep`),
        body: bodyFor({ name: text, email: fc.emailAddress(), alternateEmail: fc.emailAddress() }),
      },
      {
        name: 'wg delegate',
        method: 'PUT',
        path: fc
          .tuple(
            nationPath,
            fc.oneof(
              fc.constantFrom('IC', 'scs', 'XX'),
              hostileString.map((s) => encodePath(s.slice(0, 100))),
            ),
          )
          .map(([n, wg]) => `/api/v1/nations/${n}/wg-delegates/${wg}`),
        body: bodyFor({ name: text, email: fc.emailAddress(), alternateEmail: fc.emailAddress() }),
      },
      {
        // Every URL here is refused (none is allowed but loopback), so no subscription starts delivering mid-fuzz.
        name: 'webhook subscribe',
        method: 'POST',
        path: fc.constant('/api/v1/webhooks'),
        body: bodyFor({
          url: fc.oneof(fc.webUrl(), fc.constantFrom('https://169.254.169.254/', 'ftp://x', 'http://10.1.1.1/')),
          eventTypes: fc.oneof(fc.constant(['*']), fc.array(fc.constantFrom('raised', 'closed', 'nope', '*'))),
          description: text,
          filter: fc.record({ nation: fc.constantFrom('FRA', 'XXX'), reference: text }, { requiredKeys: [] }),
        }),
      },
      {
        name: 'webhook change',
        method: 'PATCH',
        path: fc
          .oneof(
            { weight: 3, arbitrary: fc.constant(() => hook.id) },
            { weight: 1, arbitrary: hostileString.map((x) => () => encodePath(x.slice(0, 200))) },
          )
          .map((id) => `/api/v1/webhooks/${id()}`),
        body: bodyFor({
          url: fc.oneof(fc.webUrl(), fc.constant('https://10.0.0.1/x')),
          eventTypes: fc.array(fc.constantFrom('raised', 'nope', '*')),
          active: fc.constant(false),
          description: text,
        }),
      },
      {
        name: 'webhook redelivery',
        method: 'POST',
        path: fc.constant('/api/v1/webhooks/HOOK/redeliveries'),
        body: bodyFor({
          after: fc.oneof(
            fc.constant('POSITION'),
            hostileString.map((x) => x.slice(0, 80)),
          ),
        }),
      },
      {
        name: 'webhook deliveries',
        method: 'GET',
        path: query(['before', 'limit']).map((q) => `/api/v1/webhooks/HOOK/deliveries${q}`),
      },
      {
        name: 'directory import (not CSV)',
        method: 'POST',
        path: fc.constant('/api/v1/nations/directory/import'),
        body: bodyFor({ csv: text }),
      },
    ];

    let requests = 0;
    let rejected = 0;
    const statuses = new Map<number, number>();
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(route.path, route.body ?? fc.constant(undefined), async (path, body) => {
          const before = await snapshot();
          // A valid call, withdrawal or closure would start the fixed recommendation's timers or end it: aim those at another one.
          const aimed = path.replace('/HOOK/', `/${hook.id}/`);
          const target = /\/(withdrawal|closure|consensus)$/.test(aimed) ? aimed.replace(ref, sink) : aimed;
          if (body && typeof body === 'object' && (body as { after?: unknown }).after === 'POSITION')
            (body as { after: string }).after = hook.position;
          // A string body goes as raw text: malformed JSON.
          const res = await call(api, route.method, target, { token: sec, ...(body === undefined ? {} : { body }) });
          requests++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status).toBeLessThan(500);
          const type = res.headers.get('content-type') ?? '';
          if (res.status === 431) return; // Node refuses an oversized header before Express sees it
          if (res.status >= 400) {
            rejected++;
            expect(type).toMatch(/^application\/problem\+json/);
            expect(res.body).toMatchObject({ status: res.status, type: expect.any(String), title: expect.any(String) });
            expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at |node_modules|QueryFailedError|TypeORM|grpc/i);
            expect(await snapshot()).toBe(before);
          } else {
            expect(type).toMatch(/^(application\/json|text\/csv)/);
          }
        }),
        { numRuns: RUNS_PER_ROUTE, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000) },
      );
    }
    console.log(
      `fuzz: ${requests} requests over ${routes.length} routes, ${rejected} rejected, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(requests).toBe(routes.length * RUNS_PER_ROUTE);
  });

  it('a hostile directory import is refused whole; a hostile link page is a 4xx page; neither changes anything', async () => {
    const csvLine = fc
      .array(
        fc.oneof(
          hostileString.map((s) => s.slice(0, 200)),
          fc.constantFrom('FRA', 'director', 'wg-delegate', 'IC', 'a@b.example', 'fr', '"', '""', ','),
        ),
        { maxLength: 8 },
      )
      .map((cells) => cells.join(','));
    const csv = fc
      .tuple(
        fc.constantFrom('nation,contact,working_group,name,email,alternate_email,language', 'nation,contact', ''),
        fc.array(csvLine, { maxLength: 5 }),
      )
      .map(([h, lines]) => [h, ...lines].join(fc.sample(fc.constantFrom('\n', '\r\n'), 1)[0] ?? '\n'));
    let imports = 0;
    await fc.assert(
      fc.asyncProperty(csv, async (body) => {
        const before = await snapshot();
        const res = await fetch(`${api.url}/api/v1/nations/directory/import`, {
          method: 'POST',
          headers: { authorization: `Bearer ${sec}`, 'content-type': 'text/csv' },
          body,
        });
        imports++;
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get('content-type') ?? '').toMatch(/^application\/problem\+json/);
          expect(await snapshot()).toBe(before);
        }
      }),
      { numRuns: RUNS_PER_ROUTE, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000) },
    );
    const segment = fc.oneof(
      fc.constantFrom(
        ref,
        'FRA',
        'respond',
        'consensus-position',
        'eyJhbGciOiJIUzI1NiJ9.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ),
      hostileString.map((s) => encodePath(s.slice(0, 2000))),
    );
    const form = fc.dictionary(
      fc.constantFrom('choice', 'comment', 'plannedCompletion', 'percent', 'evidenceUrl', 'csrf', '__proto__'),
      hostileString.map((s) => s.slice(0, 5000)),
      { maxKeys: 5 },
    );
    let pages = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(segment, segment, segment, segment),
        fc.boolean(),
        form,
        async (parts, posting, fields) => {
          const before = await snapshot();
          const res = await fetch(`${api.url}/links/${parts.join('/')}`, {
            method: posting ? 'POST' : 'GET',
            ...(posting
              ? {
                  headers: { 'content-type': 'application/x-www-form-urlencoded' },
                  body: new URLSearchParams(fields).toString(),
                }
              : {}),
          });
          pages++;
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          const text = await res.text();
          const type = res.headers.get('content-type') ?? '';
          // A link page, or (a path that is not one: an unknown route, a body or header over the limits) a problem.
          if (type.startsWith('text/html')) expect(text).toContain('dipb-secretariat@example.nato.int');
          else if (res.status !== 431) expect(type).toMatch(/^application\/problem\+json/);
          expect(await snapshot()).toBe(before);
        },
      ),
      { numRuns: RUNS_PER_ROUTE, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000) },
    );
    console.log(`fuzz: ${imports} directory imports and ${pages} link pages, all refused without a change`);
  });
});
