/**
 * 7. A hostile flood does not hurt others. A second API process with the production rate limits (the
 * bench's own API has them lifted) takes `--flood` hostile requests at concurrency 16 from a process of
 * its own, on the API and the personal link pages: malformed JSON, wrong content types, bad, expired
 * and forged JWTs, bent link tokens, bodies above the limit, unknown nations and references, path
 * traversal, and one valid caller (and one valid link) hammering. Meanwhile a legitimate WG member
 * gives consensus positions, reads its recommendation and opens its own link page, paced below its
 * budget; its latency is measured first on a quiet service (same run), then under the flood.
 * Required: no 5xx, no data changed by a hostile request, the legitimate p99 within 2× of quiet.
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, SignJWT } from 'jose';
import { Client as PgClient } from 'pg';
import { parseConfig } from '@app/config';
import { linkKey } from '@app/notifications/links/action-links';
import { call, eventually, freePort, MailDevClient, sleep, startApiProcess, tokenFor } from '../../libs/testing/src';
import type { RunningApi } from '../../libs/testing/src';
import { command, expect2xx, JWT_SECRET, latency, log, raiseVia, type BenchStack, type Latency } from './common';
import type { FloodOrder, FloodReport, HostileRequest } from './flood-client';

export interface LegitPhase {
  ops: number;
  /** Legitimate requests that did not get their 2xx (a 429 here is unfair throttling). */
  failures: Record<string, number>;
  all: Latency;
  byOp: Record<LegitOp, Latency & { ops: number }>;
}

type LegitOp = 'position' | 'read' | 'link-page';

export interface FloodResult {
  requested: number;
  concurrency: number;
  /** The flood process's niceness. */
  nice: number;
  seconds: number;
  rateLimitPerMinute: number;
  sent: number;
  wallSeconds: number;
  perSecond: number;
  byStatus: Record<string, number>;
  byKind: Record<string, Record<string, number>>;
  fiveXx: number;
  examples5xx: FloodReport['examples5xx'];
  legit: { quiet: LegitPhase; flood: LegitPhase; ratioP50: number; ratioP99: number };
  data: {
    unchanged: boolean;
    /** table → [rows before, rows after], every row but the legitimate recommendation's. */
    tables: Record<string, [number, number]>;
    changedTables: string[];
    /** Positions in the legitimate recommendation's trail by the legitimate caller vs the 200s it got. */
    legitPositions: { recorded: number; accepted: number };
    /** Events anywhere whose actor is a hostile caller. */
    hostileEvents: number;
  };
}

const ISSUER = process.env.JWT_ISSUER ?? 'dipb-dev';
const AUDIENCE = process.env.JWT_AUDIENCE ?? 'dipb-api';
const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Every row of the record but the legitimate recommendation's, as one digest per table. */
const DIGESTS: Record<string, string> = {
  events: `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) AS d FROM events t WHERE reference <> $1`,
  notifications: `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t.identity), '')) AS d FROM notifications t WHERE reference <> $1`,
  idempotency_keys: `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t.scope, t.key), '')) AS d FROM idempotency_keys t WHERE reference <> $1`,
  directory_changes: `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) AS d FROM directory_changes t WHERE $1 <> ''`,
  nations: `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t.code), '')) AS d FROM nations t WHERE $1 <> ''`,
  recommendations: `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t.reference), '')) AS d FROM recommendations t WHERE reference <> $1`,
  positions: `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS d FROM positions t WHERE reference <> $1`,
  revisions: `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS d FROM revisions t WHERE reference <> $1`,
  texts: `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS d FROM texts t WHERE $1 <> ''`,
};

async function digest(pg: PgClient, legitRef: string): Promise<Record<string, { n: number; d: string }>> {
  const out: Record<string, { n: number; d: string }> = {};
  for (const [table, sql] of Object.entries(DIGESTS)) {
    const { rows } = await pg.query<{ n: number; d: string }>(sql, [legitRef]);
    out[table] = rows[0]!;
  }
  return out;
}

/** The personal link a consensus call gave `address` for `reference`: its path, from the message MailDev holds. */
async function linkPath(mail: MailDevClient, reference: string, nation: string): Promise<string> {
  const re = new RegExp(`/links/${reference}/${nation}/consensus-position/[A-Za-z0-9_.-]+`);
  return eventually(
    async () => {
      for (const m of await mail.forReference(reference)) {
        const found = re.exec(m.text ?? '');
        if (found) return found[0];
      }
      return undefined;
    },
    120_000,
    500,
  );
}

/** What the hostile side sends; repeated entries weigh more. */
async function catalogue(refs: { target: string; legit: string }, hammer: string, targetLink: string) {
  const { target } = refs;
  const key = new TextEncoder().encode(JWT_SECRET);
  const sign = (claims: Record<string, unknown>, secret = key) =>
    new SignJWT({ roles: ['secretariat'], ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('flood-forger')
      .setIssuedAt(now() - 7200)
      .setExpirationTime(now() + 3600)
      .sign(secret);
  const expired = await new SignJWT({ roles: ['secretariat'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('flood-expired')
    .setIssuedAt(now() - 7200)
    .setExpirationTime(now() - 3600)
    .sign(key);
  const forged = await sign({}, new TextEncoder().encode('not-the-secret-but-32-characters-long!'));
  const wrongAudience = await new SignJWT({ roles: ['secretariat'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience('another-api')
    .setSubject('flood-aud')
    .setExpirationTime(now() + 3600)
    .sign(key);
  const [h, , s] = hammer.split('.') as [string, string, string];
  const tampered = `${h}.${b64({ ...decodeJwt(hammer), roles: ['secretariat'] })}.${s}`;
  const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...decodeJwt(hammer), roles: ['secretariat'] })}.`;

  // The target's link: FRA's WG delegate's consensus position, then bent every way.
  const [, , lRef, lNation, lAct, token] = targetLink.split('/');
  const [lh, lp, ls] = token!.split('.') as [string, string, string];
  const flip = (x: string) => x.slice(0, -6) + (x.at(-6) === 'A' ? 'B' : 'A') + x.slice(-5);
  const claims = decodeJwt(token!);
  const expiredLink = await new SignJWT({ ...claims, exp: now() - 86_400 })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(linkKey({ JWT_SECRET, LINK_SECRET: undefined }));
  const link = (t: string, ref = lRef, nation = lNation, act = lAct) => `/links/${ref}/${nation}/${act}/${t}`;

  const json = { 'content-type': 'application/json', accept: 'application/json' };
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const positions = `/api/v1/recommendations/${target}/consensus/positions`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const list: HostileRequest[] = [
    // Malformed JSON, with and without a valid token.
    {
      kind: 'malformed-json',
      method: 'POST',
      path: positions,
      headers: { ...json, ...bearer(hammer) },
      body: '{"position": "concur",',
    },
    { kind: 'malformed-json', method: 'POST', path: positions, headers: json, body: "{'position': 'concur'}" },
    {
      kind: 'malformed-json',
      method: 'POST',
      path: '/api/v1/recommendations',
      headers: { ...json, ...bearer(forged) },
      body: '[1, 2',
    },
    {
      kind: 'malformed-json',
      method: 'POST',
      path: positions,
      headers: { ...json, ...bearer(hammer) },
      body: '"concur"',
    },
    { kind: 'malformed-json', method: 'POST', path: positions, headers: { ...json, ...bearer(hammer) }, body: 'null' },
    {
      kind: 'malformed-json',
      method: 'PUT',
      path: '/api/v1/nations/FRA/director',
      headers: { ...json, ...bearer(hammer) },
      body: '{"email": ',
    },
    // Wrong content types.
    {
      kind: 'content-type',
      method: 'POST',
      path: positions,
      headers: { 'content-type': 'text/plain', ...bearer(hammer) },
      body: 'position=concur',
    },
    {
      kind: 'content-type',
      method: 'POST',
      path: positions,
      headers: { 'content-type': 'application/xml', ...bearer(hammer) },
      body: '<position>concur</position>',
    },
    {
      kind: 'content-type',
      method: 'POST',
      path: positions,
      headers: { 'content-type': 'text/csv', ...bearer(hammer) },
      body: 'position,comment\nconcur,x\n',
    },
    {
      kind: 'content-type',
      method: 'POST',
      path: positions,
      headers: { ...form, ...bearer(hammer) },
      body: 'position=concur&comment=x',
    },
    {
      kind: 'content-type',
      method: 'POST',
      path: positions,
      headers: { 'content-type': 'multipart/form-data; boundary=x', ...bearer(hammer) },
      body: '--x\r\nContent-Disposition: form-data; name="position"\r\n\r\nconcur\r\n--x--\r\n',
    },
    {
      kind: 'content-type',
      method: 'POST',
      path: positions,
      headers: { 'content-type': 'application/json; charset=latin1', ...bearer(hammer) },
      body: '{"position":"concur"}',
    },
    {
      kind: 'content-type',
      method: 'POST',
      path: positions,
      headers: { ...json, 'content-encoding': 'gzip', ...bearer(hammer) },
      body: 'not gzip at all',
    },
    { kind: 'content-type', method: 'POST', path: link(token!), headers: json, body: '{"choice":"concur","csrf":"x"}' },
    {
      kind: 'content-type',
      method: 'PUT',
      path: '/api/v1/nations/directory/import',
      headers: { 'content-type': 'text/csv', ...bearer(hammer) },
      body: 'a,b\n1,2\n',
    },
    // Bad, expired, forged JWTs.
    { kind: 'bad-jwt', method: 'GET', path: '/api/v1/recommendations', headers: bearer(expired) },
    { kind: 'bad-jwt', method: 'GET', path: `/api/v1/recommendations/${target}`, headers: bearer(forged) },
    {
      kind: 'bad-jwt',
      method: 'POST',
      path: positions,
      headers: { ...json, ...bearer(tampered) },
      body: '{"position":"concur","comment":""}',
    },
    { kind: 'bad-jwt', method: 'GET', path: '/api/v1/me', headers: bearer(algNone) },
    { kind: 'bad-jwt', method: 'GET', path: '/api/v1/nations', headers: bearer(wrongAudience) },
    { kind: 'bad-jwt', method: 'GET', path: '/api/v1/me', headers: bearer(hammer.slice(0, -12)) },
    { kind: 'bad-jwt', method: 'GET', path: '/api/v1/me', headers: bearer(token!) }, // a link token is not an API token
    {
      kind: 'bad-jwt',
      method: 'GET',
      path: '/api/v1/me',
      headers: { authorization: 'Bearer garbage.garbage.garbage' },
    },
    { kind: 'bad-jwt', method: 'GET', path: '/api/v1/reports/overview', headers: {} },
    // Bent link tokens (the link pages: /links/<ref>/<nation>/<act>/<token>).
    { kind: 'bent-link', method: 'GET', path: link(`${lh}.${lp}.${flip(ls)}`), headers: {} },
    { kind: 'bent-link', method: 'GET', path: link(token!.slice(0, -10)), headers: {} },
    { kind: 'bent-link', method: 'GET', path: link(`${lh}.${b64({ ...claims, nat: 'DEU' })}.${ls}`), headers: {} },
    { kind: 'bent-link', method: 'GET', path: link(token!, lRef, 'DEU'), headers: {} },
    { kind: 'bent-link', method: 'GET', path: link(token!, lRef, lNation, 'respond'), headers: {} },
    { kind: 'bent-link', method: 'GET', path: link(hammer), headers: {} },
    { kind: 'bent-link', method: 'GET', path: link(expiredLink), headers: {} },
    {
      kind: 'bent-link',
      method: 'POST',
      path: link(`${lh}.${lp}.${flip(ls)}`),
      headers: form,
      body: 'choice=concur&comment=&csrf=x',
    },
    { kind: 'bent-link', method: 'GET', path: `${link(token!)}?lang=xx&lang=fr`, headers: {} },
    // Bodies above the limits (512 kB for the API's JSON, 64 kB for a link page's form).
    {
      kind: 'oversized',
      method: 'POST',
      path: '/api/v1/recommendations',
      headers: { ...json, ...bearer(hammer) },
      body: { prefix: '{"title":"', fill: 'x', size: 530_000 },
    },
    {
      kind: 'oversized',
      method: 'POST',
      path: positions,
      headers: json,
      body: { prefix: '{"comment":"', fill: 'y', size: 530_000 },
    },
    {
      kind: 'oversized',
      method: 'POST',
      path: link(token!),
      headers: form,
      body: { prefix: 'comment=', fill: 'z', size: 70_000 },
    },
    {
      kind: 'oversized',
      method: 'GET',
      path: '/api/v1/me',
      headers: { authorization: `Bearer ${'a'.repeat(20_000)}` },
    },
    // Unknown nations and references.
    { kind: 'unknown', method: 'GET', path: '/api/v1/recommendations/DIPB-2099-9999', headers: bearer(hammer) },
    {
      kind: 'unknown',
      method: 'POST',
      path: '/api/v1/recommendations/DIPB-2099-9999/consensus/positions',
      headers: { ...json, ...bearer(hammer) },
      body: '{"position":"concur","comment":""}',
    },
    {
      kind: 'unknown',
      method: 'POST',
      path: `/api/v1/recommendations/${target}/nations/ZZZ/progress`,
      headers: { ...json, ...bearer(hammer) },
      body: '{"status":"in-progress","comment":"x"}',
    },
    {
      kind: 'unknown',
      method: 'PUT',
      path: '/api/v1/nations/XXX/director',
      headers: { ...json, ...bearer(hammer) },
      body: '{"name":"x","email":"x@example.org"}',
    },
    { kind: 'unknown', method: 'GET', path: link(token!, 'DIPB-2099-9999', 'ZZZ'), headers: {} },
    { kind: 'unknown', method: 'GET', path: '/api/v1/no-such-route', headers: bearer(hammer) },
    // Path traversal, encodings and lengths a reference never has.
    {
      kind: 'traversal',
      method: 'GET',
      path: '/api/v1/recommendations/..%2F..%2Fetc%2Fpasswd',
      headers: bearer(hammer),
    },
    {
      kind: 'traversal',
      method: 'GET',
      path: '/api/v1/recommendations/%2e%2e/%2e%2e/etc/passwd',
      headers: bearer(hammer),
    },
    { kind: 'traversal', method: 'GET', path: `/api/v1/recommendations/${target}%00/events`, headers: bearer(hammer) },
    { kind: 'traversal', method: 'GET', path: '/api/v1/recommendations/%ED%A0%80', headers: bearer(hammer) },
    { kind: 'traversal', method: 'GET', path: '/api/v1/recommendations/%E0%A4%A', headers: bearer(hammer) },
    { kind: 'traversal', method: 'GET', path: `/api/v1/recommendations/${'A'.repeat(4000)}`, headers: bearer(hammer) },
    { kind: 'traversal', method: 'GET', path: `/links/..%2F..%2Fetc%2Fpasswd/FRA/respond/${token!}`, headers: {} },
    { kind: 'traversal', method: 'GET', path: `/links/${lRef}/FRA/consensus-position/%ED%A0%80`, headers: {} },
    { kind: 'traversal', method: 'GET', path: `/links/${lRef}/%2e%2e/%2e%2e/x`, headers: {} },
    // One caller hammering: a valid WG member of another group (reads, refused positions) and one valid link.
    { kind: 'one-caller', method: 'GET', path: '/api/v1/recommendations?stage=wg-consensus', headers: bearer(hammer) },
    { kind: 'one-caller', method: 'GET', path: `/api/v1/recommendations/${target}`, headers: bearer(hammer) },
    {
      kind: 'one-caller',
      method: 'POST',
      path: positions,
      headers: { ...json, ...bearer(hammer) },
      body: '{"position":"concur","comment":"flood"}',
    },
    { kind: 'one-caller', method: 'GET', path: link(token!), headers: {} },
    {
      kind: 'one-caller',
      method: 'POST',
      path: link(token!),
      headers: form,
      body: 'choice=object&comment=flood&csrf=forged',
    },
  ];
  return list;
}

/** The legitimate caller: a WG member of its recommendation's group, paced below its budget. */
function legitClient(api: RunningApi, ref: string, token: string, linkPage: string) {
  let n = 0;
  const ops: Record<LegitOp, () => Promise<number>> = {
    position: async () =>
      (
        await command(api, `/api/v1/recommendations/${ref}/consensus/positions`, token, {
          position: 'concur',
          comment: `legitimate position ${++n}`,
        })
      ).status,
    read: async () => (await call(api, 'GET', `/api/v1/recommendations/${ref}`, { token })).status,
    'link-page': async () => {
      const res = await fetch(`${api.url}${linkPage}`);
      await res.text();
      return res.status;
    },
  };
  const order: LegitOp[] = ['position', 'read', 'link-page'];
  return async function run(until: () => boolean, intervalMs: number): Promise<LegitPhase & { accepted: number }> {
    const samples: Record<LegitOp, number[]> = { position: [], read: [], 'link-page': [] };
    const failures: Record<string, number> = {};
    let accepted = 0;
    for (let i = 0; !until(); i++) {
      const op = order[i % order.length]!;
      const t = performance.now();
      const status = await ops[op]().catch(() => 0);
      const took = performance.now() - t;
      samples[op].push(took);
      if (status < 200 || status > 299) failures[`${op} ${status}`] = (failures[`${op} ${status}`] ?? 0) + 1;
      else if (op === 'position') accepted++;
      await sleep(Math.max(0, intervalMs - took));
    }
    const all = Object.values(samples).flat();
    return {
      ops: all.length,
      failures,
      all: latency(all),
      byOp: Object.fromEntries(
        order.map((op) => [op, { ...latency(samples[op]), ops: samples[op].length }]),
      ) as LegitPhase['byOp'],
      accepted,
    };
  };
}

/**
 * The attacker's process. At a lower priority (`nice`) by default: an attacker's CPU is not the server's,
 * and on a small machine the generator would otherwise take the cores PostgreSQL, Temporal and the worker
 * need, and the figure would measure the machine, not the service.
 */
async function startFloodClient(nice: number): Promise<{ run(order: FloodOrder): Promise<FloodReport> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'flood-client.ts')], {
    env: process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (nice !== 0 && child.pid) setPriority(child.pid, nice);
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the flood client exited with ${code}`)));
  });
  return {
    run: (order) =>
      new Promise<FloodReport>((resolve, reject) => {
        child.once('message', (report) => {
          process.removeListener('exit', reap);
          resolve(report as FloodReport);
        });
        child.once('exit', (code) => reject(new Error(`the flood client exited with ${code}`)));
        child.send(order);
      }),
  };
}

export async function benchFlood(
  stack: BenchStack,
  { requests = 100_000, concurrency = 16, seconds = 300, legitSeconds = 30, intervalMs = 150, nice = 10 } = {},
): Promise<FloodResult> {
  const mail = new MailDevClient(stack.mailApi);
  const sec = await tokenFor({ sub: 'sec-flood', roles: ['secretariat'] });
  const legitToken = await tokenFor({ sub: 'legit-NOR', roles: ['wg-member'], nation: 'NOR', workingGroups: ['IC'] });
  const hammer = await tokenFor({ sub: 'flood-DEU', roles: ['wg-member'], nation: 'DEU', workingGroups: ['SCS'] });

  log('flood: raising the legitimate and the target recommendations, calling consensus');
  const [legitRef, targetRef] = await Promise.all(
    ['Legitimate client', 'Flood target'].map(async (title) => {
      const ref = await raiseVia(stack.api, sec, { title, policy: { consensusSilence: 'P14D', silenceReminders: [] } });
      expect2xx(
        await command(stack.api, `/api/v1/recommendations/${ref}/consensus`, sec, { silence: 'P14D' }),
        'consensus',
      );
      return ref;
    }),
  );
  const [legitLink, targetLink] = await Promise.all([
    linkPath(mail, legitRef!, 'NOR'),
    linkPath(mail, targetRef!, 'FRA'),
  ]);

  const pg = new PgClient({ connectionString: stack.databaseUrl });
  await pg.connect();
  // The worker is done with both consensus calls before the digest is taken (nothing else runs): the
  // sends recorded in the trail, the approval calls prepared ahead — the record the same 5 s apart.
  let last = '';
  await eventually(
    async () => {
      const now = JSON.stringify(await digest(pg, legitRef!));
      const stable = now === last;
      last = now;
      return stable;
    },
    120_000,
    5000,
  );
  const before = await digest(pg, legitRef!);

  // The production limits: RATE_LIMIT_PER_MINUTE unset.
  const limited = { ...stack.env, RATE_LIMIT_PER_MINUTE: '' };
  const rateLimitPerMinute = parseConfig(limited).RATE_LIMIT_PER_MINUTE;
  const api = await startApiProcess(await freePort(), limited);
  const floodClient = await startFloodClient(nice);
  const list = await catalogue({ target: targetRef!, legit: legitRef! }, hammer, targetLink);
  const legit = legitClient(api, legitRef!, legitToken, legitLink);
  try {
    log(`flood: warm-up, then the legitimate client alone for ${legitSeconds} s (one request every ${intervalMs} ms)`);
    const warmUntil = Date.now() + 3000;
    const warm = await legit(() => Date.now() > warmUntil, intervalMs);
    const quietUntil = Date.now() + legitSeconds * 1000;
    const quiet = await legit(() => Date.now() > quietUntil, intervalMs);

    log(
      `flood: ${requests} hostile requests at concurrency ${concurrency} (at most ${seconds} s), the legitimate client beside them`,
    );
    let done = false;
    const hostile = floodClient
      .run({ url: api.url, requests, concurrency, seconds, catalogue: list })
      .finally(() => (done = true));
    const [report, during] = await Promise.all([hostile, legit(() => done, intervalMs)]);

    // Anything a hostile request set going would be through the worker by now: wait for what is due
    // outside the legitimate recommendation to be sent (a timeout is no verdict: the digest decides).
    await eventually(
      async () =>
        (
          await pg.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM notifications WHERE reference <> $1 AND status = 'pending' AND due_at <= now()`,
            [legitRef],
          )
        ).rows[0]!.n === 0,
      60_000,
      500,
    ).catch(() => log('flood: messages still due after 60 s; comparing the record as it is'));
    const after = await digest(pg, legitRef!);
    const changedTables = Object.keys(before).filter((t) => before[t]!.d !== after[t]!.d);
    const recorded = (
      await pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM events WHERE reference = $1 AND type = 'consensus-position' AND actor->>'id' = 'legit-NOR'`,
        [legitRef],
      )
    ).rows[0]!.n;
    const hostileEvents = (
      await pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM events WHERE actor->>'id' IN ('flood-DEU', 'flood-forger', 'flood-expired', 'flood-aud')
            OR (reference = $1 AND actor->>'id' <> 'legit-NOR' AND type = 'consensus-position')`,
        [targetRef],
      )
    ).rows[0]!.n;

    const byStatus: Record<string, number> = {};
    for (const statuses of Object.values(report.byKind))
      for (const [status, n] of Object.entries(statuses)) byStatus[status] = (byStatus[status] ?? 0) + n;
    const fiveXx = Object.entries(byStatus)
      .filter(([s]) => /^5\d\d$/.test(s))
      .reduce((a, [, n]) => a + n, 0);
    const strip = ({ accepted: _accepted, ...phase }: LegitPhase & { accepted: number }): LegitPhase => phase;
    return {
      requested: requests,
      concurrency,
      nice,
      seconds,
      rateLimitPerMinute,
      sent: report.sent,
      wallSeconds: report.wallMs / 1000,
      perSecond: report.sent / (report.wallMs / 1000),
      byStatus,
      byKind: report.byKind,
      fiveXx,
      examples5xx: report.examples5xx,
      legit: {
        quiet: strip(quiet),
        flood: strip(during),
        ratioP50: during.all.p50 / quiet.all.p50,
        ratioP99: during.all.p99 / quiet.all.p99,
      },
      data: {
        unchanged:
          changedTables.length === 0 &&
          hostileEvents === 0 &&
          recorded === warm.accepted + quiet.accepted + during.accepted,
        tables: Object.fromEntries(Object.keys(before).map((t) => [t, [before[t]!.n, after[t]!.n]])),
        changedTables,
        legitPositions: { recorded, accepted: warm.accepted + quiet.accepted + during.accepted },
        hostileEvents,
      },
    };
  } finally {
    await api.close();
    await pg.end();
  }
}
