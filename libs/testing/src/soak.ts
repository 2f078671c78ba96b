/**
 * A soak: many recommendations × 32 nations from raise to closed, arriving at a steady rate, with
 * reminders, overdue notices, an escalation and progress reports falling due throughout, and every
 * command sent as a client of the contract sends it (an Idempotency-Key; on a 503, the same request
 * again after Retry-After). Used by `npm run bench -- --only soak` (1,000 over about 30 minutes) and,
 * shorter, by the fault suite, which asserts on what it counts.
 *
 * Every duration is a multiple of one time unit `u`, so the same story runs in minutes or in seconds:
 * consensus and approval silences of 4u with a reminder 2u before; answers due 12u after submission,
 * reminders 6u and 2u before, overdue notices every 4u and the secretariat told after two; progress
 * reports every 12u with a request 4u before. Of the 32 nations, 4 accept and report, 20 decline in
 * time, and 8 answer late, between 13u and 24u (after one or two overdue notices, some after the escalation).
 */
import { randomUUID } from 'node:crypto';
import { NATION_CODES, type NationCode, type Policy } from '@app/domain';
import { call, tokenFor, type HttpResult, type RunningApi } from './api';
import { sleep } from './wait';

export interface SoakOptions {
  lifecycles: number;
  /** The time unit every duration of the story is a multiple of, in ms (whole seconds). */
  unitMs: number;
  /** Arrivals are spread evenly over this long (ms). */
  spreadMs: number;
  /** Seed of the story's random delays, so two runs tell the same story. */
  seed?: number;
  /** Called now and then with a line of progress. */
  progress?: (line: string) => void;
}

export type SoakCommand = 'raise' | 'call-consensus' | 'consensus-position' | 'respond' | 'report-progress' | 'read';

export interface SoakCommandStats {
  count: number;
  /** Answered 503 (Temporal past the API's deadline) and sent again with the same key. */
  answered503: number;
  latenciesMs: number[];
}

export interface SoakResult {
  references: string[];
  wallMs: number;
  commands: Record<SoakCommand, SoakCommandStats>;
  /** Answers other than 2xx and 503, each with its request: none is expected. */
  failures: string[];
  /** Each 503, with its request and the problem's detail (what Temporal or PostgreSQL did not do in time). */
  unavailable: string[];
  /** Recommendations that ended closed with 4 implemented and 28 not accepted. */
  endedRight: number;
  endedWrong: string[];
}

const NATIONS = NATION_CODES as readonly NationCode[];
const ACCEPTING = 4;
const LATE = 8;

const iso = (ms: number) => `PT${ms / 1000}S`;
/** A client gives up a request after this many 503s in a row (each is counted and printed; the last is a failure). */
const MAX_503_PER_REQUEST = 10;

/** The soak's policy, in multiples of the unit. */
export function soakPolicy(u: number): Policy {
  return {
    consensusSilence: iso(4 * u),
    approvalSilence: iso(4 * u),
    silenceReminders: [iso(2 * u)],
    responseDue: iso(12 * u),
    responseReminders: [iso(6 * u), iso(2 * u)],
    overdueEvery: iso(4 * u),
    escalateAfter: 2,
    followUpEvery: iso(12 * u),
    followUpReminder: iso(4 * u),
    autoSubmit: true,
  };
}

/** mulberry32: a small seeded generator, so the story's delays repeat from run to run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Tokens {
  secretariat: string;
  wg: Map<NationCode, string>;
  director: Map<NationCode, string>;
}

async function soakTokens(): Promise<Tokens> {
  const wg = new Map<NationCode, string>();
  const director = new Map<NationCode, string>();
  for (const n of NATIONS) {
    wg.set(n, await tokenFor({ sub: `soak-wg-${n}`, roles: ['wg-member'], nation: n, workingGroups: ['IC'] }));
    director.set(n, await tokenFor({ sub: `soak-nad-${n}`, roles: ['director'], nation: n }));
  }
  return { secretariat: await tokenFor({ sub: 'soak-sec', roles: ['secretariat'] }), wg, director };
}

interface NationView {
  code: NationCode;
  state: string;
}
interface View {
  reference: string;
  stage: string;
  nations: NationView[];
}

/** Runs the soak against a running API (and its worker, Temporal, PostgreSQL and SMTP). */
export async function runSoak(api: RunningApi, opts: SoakOptions): Promise<SoakResult> {
  const u = opts.unitMs;
  const rnd = random(opts.seed ?? 2026);
  const t = await soakTokens();
  const stats = Object.fromEntries(
    (['raise', 'call-consensus', 'consensus-position', 'respond', 'report-progress', 'read'] as const).map((k) => [
      k,
      { count: 0, answered503: 0, latenciesMs: [] as number[] },
    ]),
  ) as Record<SoakCommand, SoakCommandStats>;
  const failures: string[] = [];
  const unavailable: string[] = [];
  const endedWrong: string[] = [];
  const references: string[] = [];
  let endedRight = 0;
  let finished = 0;

  /** A command as a client sends it: its key, and on a 503 the same request again after Retry-After. */
  const send = async <T>(kind: SoakCommand, path: string, token: string, body: unknown): Promise<T | null> => {
    const headers = { 'idempotency-key': randomUUID() };
    const s = stats[kind];
    s.count++;
    const started = performance.now();
    let attempts503 = 0;
    for (;;) {
      const res: HttpResult<T> = await call<T>(api, 'POST', path, { token, body, headers });
      if (res.status === 503 && ++attempts503 <= MAX_503_PER_REQUEST) {
        s.answered503++;
        const detail = (res.body as { detail?: string } | null)?.detail ?? '';
        unavailable.push(`POST ${path} after ${Math.round(performance.now() - started)} ms: ${detail}`);
        await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      s.latenciesMs.push(performance.now() - started);
      if (res.status >= 200 && res.status < 300) return res.body;
      failures.push(`POST ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return null;
    }
  };
  const read = async (ref: string): Promise<View | null> => {
    const started = performance.now();
    const res = await call<View>(api, 'GET', `/api/v1/recommendations/${ref}`, { token: t.secretariat });
    stats.read.count++;
    stats.read.latenciesMs.push(performance.now() - started);
    if (res.status === 200) return res.body;
    failures.push(`GET /api/v1/recommendations/${ref}: ${res.status}`);
    return null;
  };
  /** Reads until the stage is reached, every u/2, for at most `withinMs`. */
  const until = async (ref: string, stage: string, withinMs: number): Promise<View | null> => {
    const deadline = performance.now() + withinMs;
    for (;;) {
      const view = await read(ref);
      if (view?.stage === stage || performance.now() > deadline) return view;
      await sleep(u / 2);
    }
  };
  const after = (delayMs: number, fn: () => Promise<unknown>) => sleep(delayMs).then(fn);

  const one = async (i: number): Promise<void> => {
    const base = `/api/v1/recommendations`;
    const raised = await send<{ reference: string }>('raise', base, t.secretariat, {
      title: `Soak ${i}: secure the supply of 155 mm shells`,
      summary: 'Allies should pool demand for propellant and energetics.',
      body: '## Recommendation\n\nPool demand for nitrocellulose across Allies.',
      workingGroup: 'IC',
      language: i % 4 === 0 ? 'fr' : 'en',
      policy: soakPolicy(u),
    });
    if (!raised) return;
    const ref = raised.reference;
    references.push(ref);
    await send('call-consensus', `${base}/${ref}/consensus`, t.secretariat, { silence: iso(4 * u) });
    // Three WG delegates concur, some after the reminder (2u before the end of silence); the rest stay silent.
    await Promise.all(
      NATIONS.slice(0, 3).map((n) =>
        after(rnd() * 3 * u, () =>
          send('consensus-position', `${base}/${ref}/consensus/positions`, t.wg.get(n)!, { position: 'concur' }),
        ),
      ),
    );
    if ((await until(ref, 'submitted', 16 * u))?.stage !== 'submitted') {
      endedWrong.push(`${ref}: not submitted`);
      return;
    }
    const respond = (n: NationCode, decision: string) =>
      send('respond', `${base}/${ref}/nations/${n}/response`, t.director.get(n)!, { decision, comment: 'Soak answer' });
    const progress = (n: NationCode, status: 'in-progress' | 'implemented') =>
      send('report-progress', `${base}/${ref}/nations/${n}/progress`, t.director.get(n)!, {
        status,
        ...(status === 'in-progress' ? { percent: 50 } : {}),
        comment: `Soak: ${status}`,
      });
    await Promise.all(
      NATIONS.map((n, k) => {
        if (k < ACCEPTING) {
          // Accepts, then reports: in progress before the report is due, implemented around the due date.
          return after(rnd() * 6 * u, async () => {
            await respond(n, 'accepted');
            await after((4 + rnd() * 6) * u, () => progress(n, 'in-progress'));
            await after((6 + rnd() * 6) * u, () => progress(n, 'implemented'));
          });
        }
        if (k >= NATIONS.length - LATE) return after((13 + rnd() * 11) * u, () => respond(n, 'not-accepted'));
        return after(rnd() * 11 * u, () => respond(n, 'not-accepted'));
      }),
    );
    const end = await until(ref, 'closed', 8 * u);
    const implemented = end?.nations.filter((n) => n.state === 'implemented').length ?? 0;
    const declined = end?.nations.filter((n) => n.state === 'not-accepted').length ?? 0;
    if (end?.stage === 'closed' && implemented === ACCEPTING && declined === NATIONS.length - ACCEPTING) endedRight++;
    else endedWrong.push(`${ref}: ${end?.stage ?? 'unread'}, ${implemented} implemented, ${declined} not accepted`);
    finished++;
    if (finished % Math.max(1, Math.round(opts.lifecycles / 20)) === 0)
      opts.progress?.(`${finished}/${opts.lifecycles} finished`);
  };

  const started = performance.now();
  const every = opts.lifecycles > 1 ? opts.spreadMs / (opts.lifecycles - 1) : 0;
  await Promise.all(Array.from({ length: opts.lifecycles }, (_, i) => after(i * every, () => one(i))));
  return {
    references,
    wallMs: performance.now() - started,
    commands: stats,
    failures,
    unavailable,
    endedRight,
    endedWrong,
  };
}
