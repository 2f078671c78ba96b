/**
 * The reliability suite's shared parts: a TCP proxy the test can cut (PostgreSQL, SMTP), a driver
 * that takes recommendations from raise to closed through the API with second-scale deadlines while
 * a fault happens, and the invariants every scenario checks and prints.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { NationCode, RecommendationView } from '@app/domain';
import {
  call,
  eventually,
  sleep,
  header,
  messageId,
  MailDevClient,
  startApi,
  startWorker,
  waitFor,
  type CaughtEmail,
  type HttpResult,
  type RunningApi,
  type RunningWorker,
} from '@app/testing';
import type { temporal } from '@temporalio/proto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { runMigrationsAndSeed } from '../../libs/persistence/src/migrate';
import {
  dataDir,
  ensureTemporalCli,
  startOwnPostgres,
  setLogMode,
  startTemporal,
  startTemporalCluster,
  type ClusterLayout,
  type ManagedProcess,
  type PostgresHandle,
  type TemporalHandle,
} from '../../scripts/stack';
import { callers, events, temporalClient, type Callers, type EventLine } from '../lifecycle.helpers';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** One line of the suite's report on the terminal (without jest's console.log call sites). */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The API and the worker a scenario drives, and its driver: set by the hooks `scenario()` registers. */
export interface Scenario {
  api: RunningApi;
  worker: RunningWorker | undefined;
  d: Driver;
}

/** How a scenario's API and worker start, once its fault is in place. */
export interface ScenarioStart {
  startApi?: () => Promise<RunningApi>;
  workerEnv?: NodeJS.ProcessEnv;
  mail?: MailDevClient;
}

export interface ScenarioOptions {
  /** Runs first: puts the fault's own server or proxy in place, and says how the API and worker reach it. */
  setup?: () => Promise<ScenarioStart>;
  /** Runs first in afterAll, before the worker and the API stop: undoes the fault (thaws, reopens). */
  release?: () => unknown;
  /** Runs last in afterAll: stops the fault's own server or proxy. */
  teardown?: () => Promise<unknown>;
  /** beforeAll's timeout, for a scenario that starts a server of its own. */
  timeoutMs?: number;
}

/**
 * Registers the hooks of a scenario: beforeAll starts the API and a worker (after `setup`), afterAll
 * stops the worker, then the API (the worker a test replaced included). Read the fields in the tests.
 */
export function scenario(opts: ScenarioOptions = {}): Scenario {
  const s = {} as Scenario;
  beforeAll(async () => {
    const start = (await opts.setup?.()) ?? {};
    [s.api, s.worker] = await Promise.all([(start.startApi ?? startApi)(), startWorker(start.workerEnv)]);
    const d = await driver(s.api, start.mail);
    // Each scenario reads MailDev for its own messages; a scenario on a fresh database numbers its
    // references from 0001 again, so the last one's mail (same identities, same Message-IDs) must go.
    await d.mail.deleteAll();
    s.d = d;
  }, opts.timeoutMs);
  afterAll(async () => {
    await opts.release?.();
    await s.worker?.stop();
    await s.api?.close();
    await opts.teardown?.();
  });
  return s;
}

/** Sets environment variables of this process; the function returned puts back what was there. */
function setEnv(vars: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * A Temporal dev server of the scenario's own, on a fresh SQLite file, so it can be stopped or frozen;
 * its output goes to .data/logs/<name>.log.
 */
async function ownTemporal(port: number, dbFile: string, name: string): Promise<TemporalHandle> {
  setLogMode('files');
  const db = join(dataDir, 'temporal', dbFile);
  for (const f of [db, `${db}-shm`, `${db}-wal`]) rmSync(f, { force: true });
  const temporal = await startTemporal({ cli: await ensureTemporalCli(), port, dbFile, namespace: 'default', name });
  if (!temporal.started || !temporal.process)
    throw new Error(`something already answers on ${port}; this test must own its Temporal server`);
  return temporal;
}

export interface TemporalScenario extends Scenario {
  temporal: TemporalHandle;
}

/**
 * A scenario against a Temporal dev server of its own (`ownTemporal`): the worker and this process's
 * API reach it through TEMPORAL_ADDRESS, with `apiEnv` set for the API as well until afterAll. afterAll
 * thaws the server (in case a test left it frozen) before the worker stops.
 */
export function temporalScenario(
  port: number,
  dbFile: string,
  name: string,
  apiEnv: Record<string, string> = {},
): TemporalScenario {
  let restoreEnv = () => {};
  const s = scenario({
    setup: async () => {
      s.temporal = await ownTemporal(port, dbFile, name);
      restoreEnv = setEnv({ TEMPORAL_ADDRESS: s.temporal.address, ...apiEnv });
      return { workerEnv: { TEMPORAL_ADDRESS: s.temporal.address } };
    },
    release: () => s.temporal?.process?.signal('SIGCONT'),
    teardown: async () => {
      await s.temporal?.stop();
      restoreEnv();
    },
    timeoutMs: 120_000,
  }) as TemporalScenario;
  return s;
}

export interface ClusterScenario extends Scenario {
  cluster: TemporalHandle & { processes: ManagedProcess[] };
  /** The PostgreSQL of the scenario's own (`ownPostgres`), which it may stop and start. */
  postgres?: PostgresHandle;
}

export interface ClusterScenarioOptions {
  /** Set for this process's API as well until afterAll. */
  apiEnv?: Record<string, string>;
  /**
   * An embedded PostgreSQL of the scenario's own on `port` (data in .data/<dir>), holding both the record
   * (`database`) and Temporal's databases: a test can take the whole database server away.
   */
  ownPostgres?: { port: number; dir: string; database: string };
}

/**
 * A scenario against a Temporal cluster of its own (`layout`: its ports, processes and databases, made
 * afresh), its services logging at info so that a test can read which history host acquired which shard.
 */
export function clusterScenario(layout: ClusterLayout, opts: ClusterScenarioOptions = {}): ClusterScenario {
  let restoreEnv = () => {};
  const s = scenario({
    setup: async () => {
      setLogMode('files');
      let databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb';
      const own: Record<string, string> = {};
      if (opts.ownPostgres) {
        const url = new URL(`postgres://postgres@127.0.0.1:${opts.ownPostgres.port}/${opts.ownPostgres.database}`);
        s.postgres = await startOwnPostgres(url.toString(), opts.ownPostgres.dir);
        databaseUrl = url.toString();
        await runMigrationsAndSeed(databaseUrl);
        own.DATABASE_URL = databaseUrl;
      }
      s.cluster = await startTemporalCluster({
        databaseUrl,
        namespace: 'default',
        layout,
        fresh: true,
        logLevel: 'info',
      });
      if (!s.cluster.started)
        throw new Error(`something already answers on ${s.cluster.address}; this test must own its cluster`);
      // Twenty lifecycles driven by one secretariat token poll far past a caller's 600 a minute.
      restoreEnv = setEnv({
        TEMPORAL_ADDRESS: s.cluster.address,
        RATE_LIMIT_PER_MINUTE: '100000',
        ...own,
        ...opts.apiEnv,
      });
      return { workerEnv: { TEMPORAL_ADDRESS: s.cluster.address, ...own } };
    },
    release: () => s.cluster?.processes.forEach((p) => p.signal('SIGCONT')),
    teardown: async () => {
      await s.cluster?.stop();
      await s.postgres?.stop();
      restoreEnv();
    },
    timeoutMs: 300_000,
  }) as ClusterScenario;
  return s;
}

/** Proves work held by killed workers was done again: tasks timed out on them, or activities retried. */
export async function expectRedone(refs: string[], scenarioName: string, where: string): Promise<void> {
  const evidence = retryEvidence(await histories(refs));
  say(
    `[${scenarioName}] proof: ${evidence.workflowTaskTimeouts} workflow task(s) and ${evidence.activityTimeouts} activity task(s) timed out on ${where}; highest activity attempts ${JSON.stringify(evidence.maxAttempt)}`,
  );
  expect(
    evidence.workflowTaskTimeouts +
      evidence.activityTimeouts +
      Object.values(evidence.maxAttempt).filter((n) => n > 1).length,
  ).toBeGreaterThan(0);
}

/** Where each lifecycle has got to, so a fault can be timed to a milestone rather than a guess. */
export class Milestones {
  private readonly reached = new Map<string, Set<string>>();
  readonly onStage = (ref: string, stage: string): void => {
    this.reached.set(stage, new Set([...(this.reached.get(stage) ?? []), ref]));
  };
  refs(stage: string): string[] {
    return [...(this.reached.get(stage) ?? [])];
  }
  /** Resolves once `count` lifecycles have reached `stage` (as the driver saw it). */
  async all(stage: string, count: number, timeoutMs = 120_000): Promise<string[]> {
    return eventually(() => (this.refs(stage).length >= count ? this.refs(stage) : undefined), timeoutMs, 100);
  }
}

/** Resolves once the read model shows every one of `refs` in one of `stages`. */
export async function untilStages(d: Driver, refs: string[], stages: string[], timeoutMs = 120_000): Promise<void> {
  await eventually(
    async () => {
      for (const ref of refs) if (!stages.includes((await stageOf(d, ref)) ?? '')) return false;
      return true;
    },
    timeoutMs,
    200,
  );
}

/**
 * A TCP forwarder on 127.0.0.1:`port` to `targetPort`: `cut()` resets open connections and every new
 * one (counted in `refused`, so a test can show its fault happened), `open()` forwards again.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private isCut = false;
  cuts = 0;
  /** Connections reset while cut: the clients really met the outage. */
  refused = 0;

  constructor(
    readonly port: number,
    readonly targetPort: number,
    readonly targetHost = '127.0.0.1',
    /** Each reply from the service reaches the client this much later: a slow server (or a slow link). */
    readonly latencyMs = 0,
  ) {}

  get up(): boolean {
    return this.server !== undefined && !this.isCut;
  }

  async open(): Promise<void> {
    this.isCut = false;
    if (this.server) return;
    const server = createServer((client) => {
      if (this.isCut) {
        this.refused++;
        client.resetAndDestroy();
        return;
      }
      const upstream = connect({ port: this.targetPort, host: this.targetHost });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      if (this.latencyMs > 0) {
        upstream.on('data', (chunk: Buffer) =>
          setTimeout(() => client.writable && client.write(chunk), this.latencyMs),
        );
        upstream.on('end', () => setTimeout(() => client.end(), this.latencyMs));
      } else {
        upstream.pipe(client);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** The service becomes unreachable: open connections are reset, and every new one. */
  cut(): Promise<void> {
    if (!this.server || this.isCut) return Promise.resolve();
    this.isCut = true;
    this.cuts++;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    return Promise.resolve();
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    await closed;
  }
}

/** Second-scale deadlines for the fault scenarios. The response deadline is far enough that nobody is ever overdue. */
export const FAULT_POLICY = {
  consensusSilence: 'PT2S',
  approvalSilence: 'PT2S',
  silenceReminders: [],
  responseDue: 'PT60S',
  responseReminders: ['PT54S'], // the reminder falls due 6 s after submission
  overdueEvery: 'PT1H',
  escalateAfter: 3,
  followUpEvery: 'P180D',
  followUpReminder: 'P14D',
  autoSubmit: true,
};

/** What each recommendation's lifecycle sends, per kind, for `n` nations (secretariat notices included). */
export function expectedKinds(n: number): Record<string, number> {
  return { 'consensus-call': n, 'approval-call': n, approved: 1, submission: n, 'response-reminder': n, closed: n + 1 };
}

export interface Driver {
  api: RunningApi;
  who: Callers;
  mail: MailDevClient;
  /** 503s (and refused connections) seen while retrying, by route kind. */
  unavailable: number;
}

export async function driver(api: RunningApi, mail = new MailDevClient()): Promise<Driver> {
  return { api, who: await callers(), mail, unavailable: 0 };
}

/**
 * A command or read as a careful client makes it: with an Idempotency-Key, retried while the
 * service answers 503 (honouring a shortened Retry-After) or cannot be reached.
 */
export async function retrying<T = RecommendationView>(
  d: Driver,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  key?: string,
  timeoutMs = 120_000,
): Promise<HttpResult<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let res: HttpResult<T> | undefined;
    try {
      res = await call<T>(d.api, method, path, { token, body, headers: key ? { 'idempotency-key': key } : {} });
    } catch {
      res = undefined;
    }
    if (res && res.status !== 503) return res;
    d.unavailable++;
    if (res && !res.headers.get('retry-after')) throw new Error(`${method} ${path}: 503 without Retry-After`);
    if (Date.now() > until) throw new Error(`${method} ${path}: still unavailable after ${timeoutMs} ms`);
    await sleep(500);
  }
}

function ok<T>(res: HttpResult<T>, what: string): T {
  if (res.status !== 200 && res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function stageOf(d: Driver, ref: string): Promise<string | undefined> {
  const res = await call<RecommendationView>(d.api, 'GET', `/api/v1/recommendations/${ref}`, {
    token: d.who.secretariat,
  });
  return res.status === 200 ? res.body.stage : undefined;
}

export async function raiseFor(d: Driver, nations: NationCode[], tag: string): Promise<string> {
  const res = await retrying(
    d,
    'POST',
    '/api/v1/recommendations',
    d.who.secretariat,
    {
      title: `Fault scenario ${tag}`,
      summary: 'Pool demand for propellant and energetics.',
      body: '## Recommendation\n\nPool demand for propellant.',
      workingGroup: 'IC',
      language: 'en',
      nations,
      policy: FAULT_POLICY,
      rapporteur: 'rapporteur@dipb.example',
    },
    `raise-${tag}`,
  );
  return ok(res, 'raise').reference;
}

/**
 * One recommendation from raise to closed: consensus (silence holds), approval (silence holds),
 * automatic submission, the response reminder, then answers (the first nation declines, the others
 * accept) and implementation reports, which close it. Returns the reference.
 */
export async function lifecycle(
  d: Driver,
  nations: NationCode[],
  tag: string,
  onStage?: (ref: string, stage: string) => void,
): Promise<string> {
  const ref = await raiseFor(d, nations, tag);
  const sec = d.who.secretariat;
  onStage?.(ref, 'drafting');
  ok(
    await retrying(d, 'POST', `/api/v1/recommendations/${ref}/consensus`, sec, { silence: 'PT2S' }, `consensus-${tag}`),
    'consensus',
  );
  onStage?.(ref, 'called');
  // The process moves by its own timers: consensus holds, approval holds, submission, then the reminder.
  await eventually(
    async () => {
      const trail = await events(d.api, sec, ref);
      const reminded = new Set(
        trail
          .filter((e) => e.type === 'notification-sent' && e.data.kind === 'response-reminder')
          .map((e) => String(e.data.identity)),
      );
      return reminded.size === nations.length;
    },
    150_000,
    500,
  );
  onStage?.(ref, 'reminded');
  for (const [i, nation] of nations.entries()) {
    const decision = i === 0 ? 'not-accepted' : 'accepted';
    ok(
      await retrying(
        d,
        'POST',
        `/api/v1/recommendations/${ref}/nations/${nation}/response`,
        await d.who.director(nation),
        { decision, comment: `${decision} by ${nation}` },
        `response-${tag}-${nation}`,
      ),
      `response ${nation}`,
    );
  }
  for (const nation of nations.slice(1)) {
    ok(
      await retrying(
        d,
        'POST',
        `/api/v1/recommendations/${ref}/nations/${nation}/progress`,
        await d.who.director(nation),
        { status: 'implemented', comment: 'Done' },
        `progress-${tag}-${nation}`,
      ),
      `progress ${nation}`,
    );
  }
  await eventually(async () => (await stageOf(d, ref)) === 'closed', 120_000, 500);
  onStage?.(ref, 'closed');
  return ref;
}

/**
 * `count` lifecycles at once, the i-th to the nations `nationsFor(first + i)`, each tagged `tag-<now>-i`;
 * resolves to their references.
 */
export function lifecycles(
  d: Driver,
  count: number,
  first: number,
  tag: string,
  onStage?: (ref: string, stage: string) => void,
): Promise<string[]> {
  const run = Date.now();
  return Promise.all(
    Array.from({ length: count }, (_, i) => lifecycle(d, nationsFor(first + i), `${tag}-${run}-${i}`, onStage)),
  );
}

export interface InvariantOptions {
  /** The stage every recommendation must be in. */
  stage: string;
  /** Notification kinds (and counts) each recommendation must have sent; omitted: not checked by kind. */
  kinds?: Record<string, number>;
  /**
   * Kinds that may instead be recorded as dropped (no longer due when their turn came): a call whose
   * round closed while the fault held it back is not sent late.
   */
  droppable?: string[];
  /** The latest a due notification may go out after its due instant (a fault holds it back). */
  maxLatenessMs: number;
  scenario: string;
}

export interface InvariantReport {
  lines: string[];
  refs: number;
  events: number;
  emails: number;
  resent: number;
  maxLatenessMs: number;
}

const normalise = (id: string | undefined) => (id ?? '').replace(/^<|>$/g, '');

/**
 * The invariants, checked from the outside (API, PostgreSQL read model, MailDev), printed one line
 * each; throws naming the first that does not hold.
 */
export async function checkInvariants(d: Driver, refs: string[], opts: InvariantOptions): Promise<InvariantReport> {
  const lines: string[] = [];
  const failures: string[] = [];
  const line = (name: string, okay: boolean, detail: string) => {
    const text = `[${opts.scenario}] invariant: ${name}: ${okay ? 'ok' : 'FAILED'} (${detail})`;
    lines.push(text);
    if (!okay) failures.push(text);
  };

  // 1. Stage: every recommendation where it should be (the read model catches up by itself).
  const stages = new Map<string, string | undefined>();
  await eventually(
    async () => {
      for (const ref of refs) stages.set(ref, await stageOf(d, ref));
      return refs.every((r) => stages.get(r) === opts.stage);
    },
    60_000,
    500,
  ).catch(() => undefined);
  const inStage = refs.filter((r) => stages.get(r) === opts.stage).length;
  line(
    `every recommendation in expected stage '${opts.stage}'`,
    inStage === refs.length,
    `${inStage}/${refs.length}${inStage === refs.length ? '' : `: ${refs.map((r) => `${r}=${stages.get(r)}`).join(', ')}`}`,
  );

  // 1b. A closed or withdrawn recommendation's workflow ends once its last notices are sent (mail goes
  //     on its own path, after the command that closed it has answered): wait for that.
  if (opts.stage === 'closed' || opts.stage === 'withdrawn') {
    const { client, close } = await temporalClient();
    const status = new Map<string, string>();
    try {
      await eventually(
        async () => {
          for (const ref of refs) status.set(ref, (await client.workflow.getHandle(ref).describe()).status.name);
          return refs.every((r) => status.get(r) === 'COMPLETED');
        },
        90_000,
        500,
      ).catch(() => undefined);
    } finally {
      await close();
    }
    const done = refs.filter((r) => status.get(r) === 'COMPLETED').length;
    line('every workflow completed after its last notices', done === refs.length, `${done}/${refs.length}`);
  }

  // 2. Events: the record holds each event once, numbered 1..n without gaps.
  const trails = new Map<string, EventLine[]>();
  for (const ref of refs) trails.set(ref, await events(d.api, d.who.secretariat, ref));
  const allEvents = [...trails.values()].flat();
  const gaps = refs.filter((r) => {
    const seqs = trails.get(r)!.map((e) => e.seq);
    return !seqs.every((s, i) => s === i + 1);
  });
  line(
    'every event in the record once (seq contiguous 1..n per reference)',
    gaps.length === 0,
    `${refs.length} references, ${allEvents.length} events${gaps.length ? `; gaps in ${gaps.join(', ')}` : ''}`,
  );

  const sentEvents = allEvents.filter((e) => e.type === 'notification-sent');
  const identities = sentEvents.map((e) => String(e.data.identity));
  const doubled = identities.filter((id, i) => identities.indexOf(id) !== i);
  line(
    'no notification identity recorded twice',
    doubled.length === 0,
    `${identities.length} notifications${doubled.length ? `; doubled: ${doubled.slice(0, 3).join(', ')}` : ''}`,
  );
  const failed = allEvents.filter((e) => e.type === 'notification-failed').length;
  line('no notification failed', failed === 0, `${failed} failed`);

  if (opts.kinds) {
    const droppable = new Set(opts.droppable ?? []);
    let dropped = 0;
    const wrong = refs.flatMap((r) => {
      const counts: Record<string, number> = {};
      for (const e of trails
        .get(r)!
        .filter(
          (x) =>
            x.type === 'notification-sent' || (x.type === 'notification-dropped' && droppable.has(String(x.data.kind))),
        )) {
        if (e.type === 'notification-dropped') dropped++;
        counts[String(e.data.kind)] = (counts[String(e.data.kind)] ?? 0) + 1;
      }
      const same = JSON.stringify(Object.entries(counts).sort()) === JSON.stringify(Object.entries(opts.kinds!).sort());
      return same ? [] : [`${r}: ${JSON.stringify(counts)}`];
    });
    const total = Object.values(opts.kinds).reduce((a, b) => a + b, 0);
    line(
      'every expected notification recorded (by kind)',
      wrong.length === 0,
      `${refs.length} × ${total}${dropped ? `, ${dropped} of them dropped as no longer due (${[...droppable].join(', ')})` : ''}${wrong.length ? `; ${wrong.slice(0, 2).join(' | ')}` : ''}`,
    );
  }

  // 3. Email: each recorded notification reached the SMTP server, under one Message-ID per identity;
  //    a re-send after a crash carries the same Message-ID (counted, not a second message).
  const expectedIds = new Map(sentEvents.map((e) => [normalise(String(e.data.messageId)), String(e.data.identity)]));
  let mails: CaughtEmail[] = [];
  await eventually(
    async () => {
      const all = await d.mail.all();
      mails = all.filter((m) => refs.includes(header(m, 'x-dipb-reference') ?? ''));
      return [...expectedIds.keys()].every((id) => mails.some((m) => normalise(messageId(m)) === id));
    },
    30_000,
    500,
  ).catch(() => undefined);
  const byId = new Map<string, CaughtEmail[]>();
  for (const m of mails) byId.set(normalise(messageId(m)), [...(byId.get(normalise(messageId(m))) ?? []), m]);
  const missing = [...expectedIds.keys()].filter((id) => !byId.has(id));
  const unexpected = [...byId.keys()].filter((id) => !expectedIds.has(id));
  const splitRecipients = [...byId.values()].filter(
    (ms) => new Set(ms.map((m) => m.to.map((t) => t.address).join(','))).size > 1,
  );
  const resent = mails.length - byId.size;
  line(
    'every expected email delivered exactly once (one Message-ID per identity, read from MailDev)',
    missing.length === 0 && unexpected.length === 0 && splitRecipients.length === 0,
    `${byId.size}/${expectedIds.size} Message-IDs, ${mails.length} SMTP messages (${resent} re-send(s) of a known Message-ID)${missing.length ? `; missing ${missing.slice(0, 3).join(', ')}` : ''}${unexpected.length ? `; unexpected ${unexpected.slice(0, 3).join(', ')}` : ''}`,
  );

  // 4. Deadlines: every notification that had a due instant went out, not before it, and no later than the fault allows.
  const timed = sentEvents.filter((e) => typeof e.data.dueAt === 'string');
  const lateness = timed.map((e) => Date.parse(e.at) - Date.parse(String(e.data.dueAt)));
  const maxLate = lateness.length ? Math.max(...lateness) : 0;
  const early = lateness.filter((l) => l < -1000).length;
  line(
    'no deadline missed (every due notification sent, none early, lateness bounded)',
    early === 0 && maxLate <= opts.maxLatenessMs && (!opts.kinds || timed.length >= refs.length),
    `${timed.length} due notifications, max lateness ${(maxLate / 1000).toFixed(1)} s ≤ ${opts.maxLatenessMs / 1000} s${early ? `, ${early} early` : ''}`,
  );

  for (const l of lines) say(l);
  if (failures.length) throw new Error(`invariants failed:\n${failures.join('\n')}`);
  return { lines, refs: refs.length, events: allEvents.length, emails: mails.length, resent, maxLatenessMs: maxLate };
}

/** A few distinct target nations per recommendation, so scenarios do not all chase the same directors. */
export function nationsFor(i: number, n = 3): NationCode[] {
  const pool: NationCode[] = [
    'FRA',
    'DEU',
    'ITA',
    'ESP',
    'POL',
    'NLD',
    'BEL',
    'NOR',
    'DNK',
    'PRT',
    'GRC',
    'TUR',
    'CAN',
    'USA',
    'GBR',
    'CZE',
  ];
  return Array.from({ length: n }, (_, k) => pool[(i * n + k) % pool.length]!);
}

/** Every run's history of each recommendation (continue-as-new included), from the Temporal server. */
export async function histories(refs: string[]): Promise<HistoryEvent[][]> {
  const { client, close } = await temporalClient();
  try {
    const runs: HistoryEvent[][] = [];
    for (const ref of refs) {
      for await (const run of client.workflow.list({ query: `WorkflowId = '${ref}'` })) {
        runs.push((await client.workflow.getHandle(ref, run.runId).fetchHistory()).events ?? []);
      }
    }
    return runs;
  } finally {
    await close();
  }
}

/** What histories show of work that had to be done again: activity attempts beyond the first, workflow tasks timed out. */
export interface RetryEvidence {
  /** The highest attempt each activity type reached. */
  maxAttempt: Record<string, number>;
  workflowTaskTimeouts: number;
  activityTimeouts: number;
}

export function retryEvidence(runs: HistoryEvent[][]): RetryEvidence {
  const evidence: RetryEvidence = { maxAttempt: {}, workflowTaskTimeouts: 0, activityTimeouts: 0 };
  for (const events of runs) {
    const typeOf = new Map<string, string>();
    for (const e of events) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) typeOf.set(String(e.eventId), scheduled.activityType?.name ?? '?');
      const started = e.activityTaskStartedEventAttributes;
      if (started) {
        const name = typeOf.get(String(started.scheduledEventId)) ?? '?';
        evidence.maxAttempt[name] = Math.max(evidence.maxAttempt[name] ?? 0, started.attempt ?? 1);
      }
      if (e.workflowTaskTimedOutEventAttributes) evidence.workflowTaskTimeouts++;
      if (e.activityTaskTimedOutEventAttributes) evidence.activityTimeouts++;
    }
  }
  return evidence;
}

const stopped = (statFile: string): boolean => {
  const stat = readFileSync(statFile, 'utf8');
  return /^[Tt]/.test(stat.slice(stat.lastIndexOf(')') + 2));
};

/**
 * Whether a process is stopped, every one of its threads (state T in /proc/<pid>/task/<tid>/stat): a
 * SIGSTOPped server really is frozen. The stop reaches each thread on its own; until the last one has it,
 * a thread still running can accept and answer (a Go server's netpoller did, once, on the loaded CI machine).
 */
export function isFrozen(pid: number): boolean {
  if (!stopped(`/proc/${pid}/stat`)) return false;
  return readdirSync(`/proc/${pid}/task`).every((tid) => {
    try {
      return stopped(`/proc/${pid}/task/${tid}/stat`);
    } catch {
      return true; // a thread that ended meanwhile runs nothing
    }
  });
}

/** Waits until every thread of a SIGSTOPped process is stopped; how long that took. The fault is in effect only then. */
export async function untilFrozen(pid: number, timeoutMs = 5000): Promise<number> {
  const from = Date.now();
  await waitFor(`process ${pid} stopped in every thread`, () => isFrozen(pid), { timeoutMs, intervalMs: 5 });
  return Date.now() - from;
}

/**
 * What a client meets at a hung server: the TCP connection is accepted (by the kernel), then nothing
 * comes back within `waitMs`. Resolves to what arrived (empty when hung).
 */
export async function firstBytes(port: number, waitMs = 1500): Promise<{ connected: boolean; received: string }> {
  return new Promise((resolve) => {
    let received = '';
    let connected = false;
    const socket = connect({ port, host: '127.0.0.1' }, () => (connected = true));
    socket.on('data', (b: Buffer) => (received += b.toString()));
    socket.on('error', () => undefined);
    setTimeout(() => {
      socket.destroy();
      resolve({ connected, received });
    }, waitMs);
  });
}

/** What a client met on its first attempt at a command: an answer (status, Retry-After, type) or none. */
export interface FirstAnswer {
  status: number | 'unreachable';
  ms: number;
  retryAfter: string | null;
  problem: boolean;
  /** A refusal's problem detail. */
  detail?: string;
}

/** One command a client sent while a fault came and went: its first answer, then the answer after retries with its key. */
export interface SentCommand {
  key: string;
  kind: 'raise' | 'revise';
  /** The recommendation revised, or the one the raise made (once answered). */
  ref?: string;
  sentAt: number;
  first: FirstAnswer;
  final: number;
}

/**
 * Clients sending commands as the contract tells a careful one to: each with its own Idempotency-Key,
 * retried with that key while the answer is 503 or none comes. Five in six revise the client's own one
 * of `refs` (the key is the revision's note), one raises a recommendation (the key is in its title).
 */
export class CommandStream {
  readonly sent: SentCommand[] = [];
  private stopped = false;
  private count = 0;
  private readonly clients: Promise<void>[] = [];

  constructor(
    private readonly d: Driver,
    private readonly refs: string[],
    readonly tag: string,
  ) {}

  start(clients = 4, pauseMs = 100): this {
    for (let c = 0; c < clients; c++) this.clients.push(this.client(this.refs[c % this.refs.length]!, pauseMs));
    return this;
  }

  /** Stops sending; resolves once every command sent has been answered with success. */
  async stop(): Promise<SentCommand[]> {
    this.stopped = true;
    await Promise.all(this.clients);
    return this.sent;
  }

  /** Commands whose first attempt was in flight at some instant of [from, to]. */
  inFlight(from: number, to: number): SentCommand[] {
    return this.sent.filter((c) => c.sentAt <= to && c.sentAt + c.first.ms >= from);
  }

  /** One client, revising its own recommendation (two revising one at once would rightly meet 409 Conflict). */
  private async client(own: string, pauseMs: number): Promise<void> {
    while (!this.stopped) {
      const n = this.count++;
      const raise = n % 6 === 5;
      const key = `${this.tag}-${n}`;
      const ref = raise ? undefined : own;
      const [path, body] = raise
        ? [
            '/api/v1/recommendations',
            {
              title: `Stream ${key}`,
              summary: 'S',
              body: 'B',
              workingGroup: 'IC',
              language: 'en',
              nations: ['FRA'],
              policy: FAULT_POLICY,
            },
          ]
        : [`/api/v1/recommendations/${ref}/revisions`, { summary: `Summary ${key}`, note: key }];
      const sentAt = Date.now();
      let first: FirstAnswer;
      let res: HttpResult<RecommendationView> | undefined;
      try {
        res = await call<RecommendationView>(this.d.api, 'POST', path, {
          token: this.d.who.secretariat,
          body,
          headers: { 'idempotency-key': key },
        });
        first = {
          status: res.status,
          ms: Date.now() - sentAt,
          retryAfter: res.headers.get('retry-after'),
          problem: (res.headers.get('content-type') ?? '').includes('application/problem+json'),
          ...(res.status >= 300 ? { detail: JSON.stringify(res.body).slice(0, 300) } : {}),
        };
      } catch {
        first = { status: 'unreachable', ms: Date.now() - sentAt, retryAfter: null, problem: false };
      }
      const command: SentCommand = { key, kind: raise ? 'raise' : 'revise', ref, sentAt, first, final: 0 };
      this.sent.push(command);
      if (!res || res.status === 503) res = await retrying(this.d, 'POST', path, this.d.who.secretariat, body, key);
      command.final = res.status;
      if (raise && (res.status === 200 || res.status === 201)) command.ref = res.body.reference;
      await sleep(pauseMs);
    }
  }
}

/**
 * After a stream: every command succeeded in the end, and took effect exactly once. Each revision's
 * note (its key) appears once in its recommendation's trail; each raise key made one recommendation,
 * with one `raised` event, and no other recommendation carries the stream's tag. Printed as invariants.
 */
export async function checkAppliedOnce(d: Driver, stream: CommandStream, scenarioName: string): Promise<string[]> {
  const failures: string[] = [];
  const line = (name: string, okay: boolean, detail: string) => {
    const text = `[${scenarioName}] invariant: ${name}: ${okay ? 'ok' : 'FAILED'} (${detail})`;
    say(text);
    if (!okay) failures.push(text);
  };
  const sent = stream.sent;
  const notOk = sent.filter((c) => c.final !== 200 && c.final !== 201);
  line(
    'every command answered with success in the end (retried with its key)',
    notOk.length === 0,
    `${sent.length - notOk.length}/${sent.length}${
      notOk.length
        ? `; ${notOk
            .slice(0, 3)
            .map((c) => `${c.key}→${c.final}`)
            .join(', ')}`
        : ''
    }`,
  );
  const revisions = sent.filter((c) => c.kind === 'revise');
  const notes = new Map<string, number>();
  for (const ref of new Set(revisions.map((c) => c.ref!))) {
    for (const e of await events(d.api, d.who.secretariat, ref))
      if (e.type === 'revised') notes.set(String(e.data.note), (notes.get(String(e.data.note)) ?? 0) + 1);
  }
  const wrong = revisions.filter((c) => notes.get(c.key) !== 1);
  const strays = [...notes.keys()].filter((note) => note.startsWith(stream.tag) && !sent.some((c) => c.key === note));
  line(
    'every revision applied once (its key once in the trail)',
    wrong.length === 0 && strays.length === 0,
    `${revisions.length} revisions${
      wrong.length
        ? `; ${wrong
            .slice(0, 3)
            .map((c) => `${c.key}×${notes.get(c.key) ?? 0}`)
            .join(', ')}`
        : ''
    }${strays.length ? `; strays ${strays.slice(0, 3).join(', ')}` : ''}`,
  );
  const raises = sent.filter((c) => c.kind === 'raise');
  const made: { reference: string; title: string }[] = [];
  for (let cursor: string | null = ''; cursor !== null;) {
    const page: HttpResult<{ items: { reference: string; title: string }[]; nextCursor: string | null }> = await call(
      d.api,
      'GET',
      `/api/v1/recommendations?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token: d.who.secretariat },
    );
    made.push(...page.body.items.filter((r) => r.title.startsWith(`Stream ${stream.tag}-`)));
    cursor = page.body.nextCursor;
  }
  let raisedEvents = 0;
  for (const r of made)
    raisedEvents += (await events(d.api, d.who.secretariat, r.reference)).filter((e) => e.type === 'raised').length;
  const refs = new Set(raises.map((c) => c.ref));
  line(
    'every raise made one recommendation (one per key, one raised event each)',
    made.length === raises.length && refs.size === raises.length && raisedEvents === raises.length,
    `${raises.length} raise keys, ${refs.size} references answered, ${made.length} recommendations listed, ${raisedEvents} raised events`,
  );
  if (failures.length) throw new Error(`invariants failed:\n${failures.join('\n')}`);
  return [...refs].filter((r): r is string => r !== undefined);
}

/**
 * Every first answer was success, or 503 with Retry-After as problem+json, or (while the API itself
 * could not be reached) nothing; none slower than `withinMs`. Printed, with the tally.
 */
export function checkFirstAnswers(stream: CommandStream, scenarioName: string, withinMs: number): void {
  const tally: Record<string, number> = {};
  for (const c of stream.sent) tally[String(c.first.status)] = (tally[String(c.first.status)] ?? 0) + 1;
  const bad = stream.sent.filter(
    (c) =>
      !(
        c.first.status === 200 ||
        c.first.status === 201 ||
        (c.first.status === 503 && /^\d+$/.test(c.first.retryAfter ?? '') && c.first.problem)
      ),
  );
  const slow = stream.sent.filter((c) => c.first.ms > withinMs);
  const slowest = Math.max(0, ...stream.sent.map((c) => c.first.ms));
  say(
    `[${scenarioName}] invariant: every first answer success or 503 problem+json with Retry-After, within ${withinMs} ms: ${bad.length === 0 && slow.length === 0 ? 'ok' : 'FAILED'} (${JSON.stringify(tally)}; slowest ${slowest} ms${
      bad.length
        ? `; ${bad
            .slice(0, 3)
            .map((c) => `${c.key}→${c.first.status} ${c.first.detail ?? ''}`)
            .join(', ')}`
        : ''
    })`,
  );
  expect(bad.map((c) => `${c.key}→${c.first.status}`)).toEqual([]);
  expect(slow.map((c) => `${c.key} ${c.first.ms} ms`)).toEqual([]);
}

/**
 * The read model against its sources: rebuilt from the event log it differs in nothing (the rebuild
 * route compares every recommendation), and each workflow's own state (its `state` query, answered from
 * Temporal's history) equals the view the API serves from PostgreSQL, texts aside. Printed as invariants.
 */
export async function checkProjection(d: Driver, refs: string[], scenarioName: string): Promise<void> {
  const rebuild = await call<{ checked: string[]; differences: { reference: string; path: string }[] }>(
    d.api,
    'POST',
    '/api/v1/admin/projection/rebuild',
    { token: d.who.secretariat, body: {} },
  );
  expect(rebuild.status).toBe(200);
  const differences = rebuild.body.differences;
  say(
    `[${scenarioName}] invariant: the projection equals a rebuild from the event log: ${differences.length === 0 ? 'ok' : 'FAILED'} (${rebuild.body.checked.length} recommendations compared${
      differences.length
        ? `; ${differences
            .slice(0, 3)
            .map((x) => `${x.reference} ${x.path}`)
            .join(', ')}`
        : ''
    })`,
  );
  const { client, close } = await temporalClient();
  const differing: string[] = [];
  try {
    for (const ref of refs) {
      const fromHistory = await client.workflow.getHandle(ref).query<Record<string, unknown>>('state');
      const served = await call<Record<string, unknown>>(d.api, 'GET', `/api/v1/recommendations/${ref}`, {
        token: d.who.secretariat,
      });
      const { summary: _summary, body: _body, ...view } = served.body;
      const keys = [...new Set([...Object.keys(view), ...Object.keys(fromHistory)])];
      const fields = keys.filter((k) => JSON.stringify(sortKeys(view[k])) !== JSON.stringify(sortKeys(fromHistory[k])));
      if (fields.length) differing.push(`${ref} (${fields.join(', ')})`);
    }
  } finally {
    await close();
  }
  say(
    `[${scenarioName}] invariant: every workflow's state (from its Temporal history) equals the view served from PostgreSQL: ${differing.length === 0 ? 'ok' : 'FAILED'} (${refs.length - differing.length}/${refs.length}${differing.length ? `; differ: ${differing.slice(0, 3).join(', ')}` : ''})`,
  );
  expect(differences).toEqual([]);
  expect(differing).toEqual([]);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
}
