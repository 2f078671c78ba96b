/**
 * The benchmark's stack and measuring tools: its own Temporal dev server, PostgreSQL database
 * (`dipb_bench`) and MailDev, the API in-process (as it ships) and the built worker as a process.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import type { NationCode } from '@app/domain';
import { workflowBundleOptions } from '../../libs/temporal/src/bundle';
import { runMigrationsAndSeed } from '../../libs/persistence/src/migrate';
import {
  call,
  startApiProcess,
  startWorker,
  tokenFor,
  type HttpResult,
  type RunningApi,
  type RunningWorker,
} from '../../libs/testing/src';
import {
  dataDir,
  ensurePostgres,
  ensureTemporalCli,
  isPortOpen,
  repoRoot,
  setLogMode,
  startMail,
  startTemporal,
  startTemporalCluster,
  type ClusterLayout,
  type ManagedProcess,
  type TemporalHandle,
} from '../stack';
import { sleep } from '../../libs/testing/src/wait';
import { percentile } from '../../libs/testing/src/percentile';

export { percentile };

export const BENCH_DIR = join(repoRoot, '.bench');
export const JWT_SECRET = 'dipb-bench-secret-at-least-32-characters-long';

export interface BenchStack {
  api: RunningApi;
  worker: RunningWorker;
  client: Client;
  connection: Connection;
  databaseUrl: string;
  mailApi: string;
  env: NodeJS.ProcessEnv;
  /** The first worker's Prometheus endpoint (the SDK's metrics and ours). */
  workerMetricsUrl: string;
  /** Where MailDev keeps each message it accepted, as a .eml file. */
  mailDir: string;
  /** How many messages MailDev holds. */
  mailCount?(): Promise<number>;
  restartWorker(): Promise<RunningWorker>;
  /** One more worker process on the same task queue (stopped with the stack). */
  addWorker(): Promise<RunningWorker>;
  /** Stops every worker process. */
  stopWorkers(): Promise<void>;
  /** The cluster's server processes (with `cluster`), for a part that kills one. */
  clusterProcesses?: ManagedProcess[];
  close(): Promise<void>;
}

export interface StackOptions {
  /** The dev server's port; ignored with `cluster`. */
  temporalPort: number;
  /** A Temporal cluster of the stack's own (its layout: ports, processes, databases) instead of the dev server. */
  cluster?: ClusterLayout;
  /** Build and bundle first (the default); a second stack in the same run skips it. */
  build?: boolean;
  smtpPort: number;
  mailWebPort: number;
  database: string;
  apiPort: number;
}

export function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

/** Starts Temporal, PostgreSQL (database recreated), MailDev, the API and the worker, for the benchmark alone. */
export async function startStack(opts: StackOptions): Promise<BenchStack> {
  setLogMode('files');
  mkdirSync(BENCH_DIR, { recursive: true });
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb');
  url.pathname = `/${opts.database}`;
  const databaseUrl = url.toString();
  const mailName = opts.cluster ? 'maildev-bench-cluster' : 'maildev-bench';
  const startMailDev = () =>
    startMail({
      smtpPort: opts.smtpPort,
      webPort: opts.mailWebPort,
      mailDir: `maildev-bench-${opts.smtpPort}`,
      fresh: true,
      name: mailName,
    });
  let temporal: TemporalHandle & { processes?: ManagedProcess[] };
  let mail: Awaited<ReturnType<typeof startMail>>;
  if (opts.cluster) {
    const layout = opts.cluster;
    const frontend = layout.processes.find((p) => p.service === 'frontend')!.grpcPort;
    if (await isPortOpen(frontend))
      throw new Error(`port ${frontend} is taken: the benchmark needs a Temporal cluster of its own`);
    log(
      `stack: Temporal cluster :${frontend} (${layout.processes.length} services, databases ${layout.databases.temporal}), PostgreSQL ${opts.database}, MailDev :${opts.smtpPort}/:${opts.mailWebPort}`,
    );
    await ensurePostgres(databaseUrl, { fresh: true });
    [temporal, mail] = await Promise.all([
      startTemporalCluster({ databaseUrl, namespace: 'default', layout, fresh: true }),
      startMailDev(),
    ]);
  } else {
    const cli = await ensureTemporalCli();
    const dbFile = `bench-${opts.temporalPort}.db`;
    if (await isPortOpen(opts.temporalPort))
      throw new Error(`port ${opts.temporalPort} is taken: the benchmark needs a Temporal server of its own`);
    for (const f of ['', '-shm', '-wal']) rmSync(join(dataDir, 'temporal', dbFile + f), { force: true });
    log(
      `stack: Temporal :${opts.temporalPort}, PostgreSQL ${opts.database}, MailDev :${opts.smtpPort}/:${opts.mailWebPort}`,
    );
    [temporal, , mail] = await Promise.all([
      startTemporal({ cli, port: opts.temporalPort, dbFile, namespace: 'default', name: 'temporal-bench' }),
      ensurePostgres(databaseUrl, { fresh: true }),
      startMailDev(),
    ]);
  }
  await runMigrationsAndSeed(databaseUrl);

  const bundlePath = join(BENCH_DIR, 'workflow-bundle.js');
  if (opts.build !== false) {
    log('building and bundling (npm run build, workflow bundle)');
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(repoRoot), logger: quietLogger });
    writeFileSync(bundlePath, code);
  }

  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(opts.smtpPort),
    JWT_SECRET,
    RATE_LIMIT_PER_MINUTE: '1000000',
    // The sync part's webhook receivers listen on loopback (refused in production).
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    WORKFLOW_BUNDLE_PATH: bundlePath,
    // The SDK's metrics (sticky cache, workflow tasks) and ours: read by the parts that report them.
    WORKER_METRICS_PORT: String(opts.apiPort + 1),
    // A worker cache size to compare (the service's default otherwise).
    ...(process.env.WORKER_MAX_CACHED_WORKFLOWS
      ? { WORKER_MAX_CACHED_WORKFLOWS: process.env.WORKER_MAX_CACHED_WORKFLOWS }
      : {}),
  };
  Object.assign(process.env, env);
  const [api, first] = await Promise.all([startApiProcess(opts.apiPort, env), startWorker(env)]);
  let worker = first;
  const extras: RunningWorker[] = [];
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: 'default' });
  const stack: BenchStack = {
    api,
    worker,
    client,
    connection,
    databaseUrl,
    mailApi: mail.apiUrl,
    env,
    workerMetricsUrl: `http://127.0.0.1:${opts.apiPort + 1}/metrics`,
    clusterProcesses: temporal.processes,
    mailDir: join(dataDir, `maildev-bench-${opts.smtpPort}`),
    async mailCount() {
      const res = await fetch(`${mail.apiUrl}/api/email`);
      return ((await res.json()) as unknown[]).length;
    },
    async stopWorkers() {
      for (const extra of extras.splice(0)) await extra.stop().catch(() => undefined);
      await stack.worker.stop();
    },
    async addWorker() {
      const extra = await startWorker({ ...env, WORKER_METRICS_PORT: String(opts.apiPort + 2 + extras.length) });
      extras.push(extra);
      return extra;
    },
    async restartWorker() {
      await worker.stop();
      worker = await startWorker(env);
      stack.worker = worker;
      return worker;
    },
    async close() {
      for (const extra of extras) await extra.stop().catch(() => undefined);
      await stack.worker.stop().catch(() => undefined);
      await api.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
  return stack;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (m: string) => log(m),
};

/** The median and the 99th percentile of some timings, in ms. */
export interface Latency {
  p50: number;
  p99: number;
}

/** A route's latency against a floor's (the same work without the route), and how many times slower it is. */
export interface AgainstFloor {
  ratioP50: number;
  ratioP99: number;
}

export function latency(samples: number[]): Latency {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

export function againstFloor(route: Latency, floor: Latency): AgainstFloor {
  return { ratioP50: route.p50 / floor.p50, ratioP99: route.p99 / floor.p99 };
}

/** Second-scale silences, so a lifecycle reaches submission in the bench's time; no reminders. */
export function benchPolicy(silence: string) {
  return {
    consensusSilence: silence,
    approvalSilence: silence,
    silenceReminders: [],
    responseDue: 'P30D',
    responseReminders: [],
    followUpEvery: 'P180D',
    followUpReminder: 'P14D',
    autoSubmit: true,
  };
}

export interface Timed {
  latencies: number[];
  wallMs: number;
  errors: number;
  throughput: number;
}

/** Slices of one series timed apart, as one: every latency, and the operations over the sum of their wall times. */
export function joined(parts: Timed[]): Timed {
  const latencies = parts.flatMap((p) => p.latencies);
  const wallMs = parts.reduce((sum, p) => sum + p.wallMs, 0);
  return {
    latencies,
    wallMs,
    errors: parts.reduce((sum, p) => sum + p.errors, 0),
    throughput: (latencies.length / wallMs) * 1000,
  };
}

/** Runs `ops` with at most `concurrency` in flight; each op's latency in ms. */
export async function timed(ops: Array<() => Promise<boolean>>, concurrency: number): Promise<Timed> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, ops.length) }, async () => {
      while (next < ops.length) {
        const op = ops[next++]!;
        const t = performance.now();
        const ok = await op().catch(() => false);
        latencies.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  const wallMs = performance.now() - started;
  return { latencies, wallMs, errors, throughput: (ops.length / wallMs) * 1000 };
}

/**
 * Runs `fn` over `items` with at most `concurrency` at once. On the first failure no new item
 * starts, and the failure is thrown only once those in flight have settled, so the next part of
 * the bench does not run beside the remains of this one.
 */
export async function pool<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length && !failure) {
        const i = next++;
        try {
          out[i] = await fn(items[i]!, i);
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (failure) throw (failure as { error: unknown }).error;
  return out;
}

/** 503s answered to the bench's commands, each retried as the contract says (same key, after Retry-After). */
export const retried = { count: 0 };

/**
 * A command as a client of the contract sends it: with an `Idempotency-Key`, and on a 503 (Temporal
 * did not answer within the API's deadline) sent again with the same key after `Retry-After`, up to
 * five times. Each retry is counted in `retried`, and the bench prints the count: a retry is a finding.
 */
export async function command<T>(
  api: RunningApi,
  path: string,
  token: string,
  body: unknown = {},
): Promise<HttpResult<T>> {
  const headers = { 'idempotency-key': randomUUID() };
  for (let attempt = 1; ; attempt++) {
    const res = await call<T>(api, 'POST', path, { token, body, headers });
    if (res.status !== 503 || attempt > 5) return res;
    retried.count++;
    const detail = (res.body as { detail?: unknown } | null)?.detail;
    log(`503 on POST ${path} (attempt ${attempt}: ${String(detail)}): sending it again with its key`);
    await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
  }
}

export const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : '—');

/** The worker's memory from /proc: current and peak resident set (VmRSS, VmHWM), in MiB. */
export function workerMemory(pid: number | undefined): { rssMiB: number; hwmMiB: number } {
  if (!pid) return { rssMiB: NaN, hwmMiB: NaN };
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
  } catch {
    return { rssMiB: NaN, hwmMiB: NaN };
  }
}

/** Samples the worker's RSS every second until stopped; the peak seen and the kernel's high-water mark. */
export function sampleMemory(getPid: () => number | undefined): { stop(): { peakRssMiB: number; hwmMiB: number } } {
  let peak = 0;
  let hwm = 0;
  const tick = () => {
    const m = workerMemory(getPid());
    if (m.rssMiB > peak) peak = m.rssMiB;
    if (m.hwmMiB > hwm) hwm = m.hwmMiB;
  };
  tick();
  const timer = setInterval(tick, 1000);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { peakRssMiB: peak, hwmMiB: hwm };
    },
  };
}

export interface Tokens {
  secretariat: string;
  wg: Map<NationCode, string>;
  director: Map<NationCode, string>;
}

export async function tokens(nations: readonly NationCode[]): Promise<Tokens> {
  const wg = new Map<NationCode, string>();
  const director = new Map<NationCode, string>();
  for (const n of nations) {
    wg.set(n, await tokenFor({ sub: `wg-${n}`, roles: ['wg-member'], nation: n, workingGroups: ['IC'] }));
    director.set(n, await tokenFor({ sub: `nad-${n}`, roles: ['director'], nation: n }));
  }
  return {
    secretariat: await tokenFor({ sub: 'sec-bench', name: 'Bench Secretariat', roles: ['secretariat'] }),
    wg,
    director,
  };
}

export function expect2xx<T>(res: HttpResult<T>, what: string): T {
  if (res.status < 200 || res.status > 299)
    throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

export async function raiseVia(api: RunningApi, token: string, body: Record<string, unknown>): Promise<string> {
  const res = await command<{ reference: string }>(api, '/api/v1/recommendations', token, {
    title: 'Secure the supply of 155 mm shells and their propellant',
    summary: 'Allies should pool demand for propellant and energetics and share qualification data.',
    body: '## Recommendation\n\nPool demand for nitrocellulose and energetics across Allies; publish a shared qualification register.\n\n## Rationale\n\nLead times above 24 months.',
    workingGroup: 'IC',
    language: 'en',
    ...body,
  });
  return expect2xx(res, 'raise').reference;
}

export function writeJson(name: string, data: unknown): string {
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = join(BENCH_DIR, name);
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}

/** Busy and total jiffies of all CPUs so far (/proc/stat). */
function cpuTimes(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Waits until the machine is quiet (all CPUs below `threshold` busy for two consecutive seconds), at most
 * `maxMs`: a baseline must not share the cores with the work the measured part left behind (the
 * worker preparing the next timer's messages, MailDev storing). Returns how long it waited.
 */
export async function waitForQuiet({ threshold = 0.15, maxMs = 120_000 } = {}): Promise<number> {
  const started = Date.now();
  let quiet = 0;
  let last = cpuTimes();
  while (Date.now() - started < maxMs) {
    await sleep(1000);
    const now = cpuTimes();
    const load = (now.busy - last.busy) / Math.max(1, now.total - last.total);
    last = now;
    quiet = load < threshold ? quiet + 1 : 0;
    if (quiet >= 2) break;
  }
  return Date.now() - started;
}
