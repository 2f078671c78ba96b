/**
 * 3. Whole lifecycles: N recommendations × 32 nations from raise to closed with a second-scale
 * policy (silences of 2 s, automatic submission; 4 nations accept and report implemented, the
 * others decline). Recommendations per minute, Temporal history length per recommendation, the
 * worker's peak RSS. Then `--open`: that many recommendations open at once (consensus running,
 * a timer each), and the worker's RSS.
 */
import { NATION_CODES, type NationCode } from '@app/domain';
import { call, sleep } from '../../libs/testing/src';
import {
  command,
  benchPolicy,
  expect2xx,
  log,
  pool,
  raiseVia,
  sampleMemory,
  tokens,
  retried,
  workerMemory,
  latency,
  type BenchStack,
  type Latency,
} from './common';
import {
  workerCacheMetrics,
  workflowTaskStats,
  type WorkerCacheMetrics,
  type WorkflowTaskStats,
} from '../../libs/testing/src/workflow-tasks';

export interface LifecycleResult {
  recommendations: number;
  nations: number;
  wallSeconds: number;
  perMinute: number;
  commands: number;
  emails: number;
  historyLength: { p50: number; max: number };
  /** Workflow tasks read from every history: timed out, failed, replays of a whole history. */
  tasks: WorkflowTaskStats;
  /** The SDK's sticky-cache counters at the end of the part. */
  cache: WorkerCacheMetrics;
  workerPeakRssMiB: number;
  workerHwmMiB: number;
  /** Commands answered 503 (Temporal past the API's deadline) and sent again with their key. */
  retries: number;
  /** Workflow tasks a worker took and did not complete within their 10 s timeout, over all histories. */
  workflowTasksTimedOut: number;
  /** Every command's round trip through the API (a retried one from its first attempt to its answer). */
  commandLatency: Latency;
  /** Each lifecycle's start and end, in ms from the part's start. */
  spans: { start: number; end: number }[];
  /** When `midway` ran, in ms from the part's start. */
  midwayAt?: number;
}

export interface OpenResult {
  open: number;
  raiseSeconds: number;
  workerRssMiB: number;
  workerHwmMiB: number;
  /** The curve: at 1,000, 3,000, 10,000 open (those reached), the worker's RSS and the raise rate since the last point. */
  curve: { open: number; workerRssMiB: number; workerHwmMiB: number; raisesPerSecond: number }[];
  cacheSize: number;
}

const POLICY = benchPolicy('PT2S');

export interface LifecycleOptions {
  n?: number;
  concurrency?: number;
  /** Runs once, when a quarter of the lifecycles have closed (many more in flight): a fault to measure. */
  midway?: () => Promise<void> | void;
}

export async function benchLifecycle(
  stack: BenchStack,
  { n = 200, concurrency = 24, midway }: LifecycleOptions = {},
): Promise<LifecycleResult> {
  const nations = NATION_CODES as readonly NationCode[];
  const t = await tokens(nations);
  await stack.restartWorker();
  const memory = sampleMemory(() => stack.worker.process.pid);
  let commands = 0;
  const timings: number[] = [];
  const post = async (path: string, token: string, body: unknown = {}) => {
    commands++;
    const sent = performance.now();
    const res = await command<{ stage: string }>(stack.api, path, token, body);
    timings.push(performance.now() - sent);
    return expect2xx(res, path);
  };
  const spans: LifecycleResult['spans'] = [];
  let midwayAt: number | undefined;
  log(`lifecycle: ${n} recommendations × ${nations.length} nations, raise → closed, ${concurrency} at a time`);
  const started = performance.now();
  const retriedBefore = retried.count;
  let closed = 0;
  const refs = await pool(
    Array.from({ length: n }, (_, i) => i),
    concurrency,
    async (i) => {
      commands++;
      const start = performance.now() - started;
      const ref = await raiseVia(stack.api, t.secretariat, { title: `Lifecycle bench ${i}`, policy: POLICY });
      await post(`/api/v1/recommendations/${ref}/consensus`, t.secretariat, { silence: 'PT2S' });
      for (;;) {
        const res = await call<{ stage: string }>(stack.api, 'GET', `/api/v1/recommendations/${ref}`, {
          token: t.secretariat,
        });
        if (res.status === 200 && res.body.stage === 'submitted') break;
        await sleep(500);
      }
      for (const [k, nation] of nations.entries()) {
        await post(`/api/v1/recommendations/${ref}/nations/${nation}/response`, t.director.get(nation)!, {
          decision: k < 4 ? 'accepted' : 'not-accepted',
          comment: 'Bench answer',
        });
      }
      let stage = '';
      for (const nation of nations.slice(0, 4)) {
        stage = (
          await post(`/api/v1/recommendations/${ref}/nations/${nation}/progress`, t.director.get(nation)!, {
            status: 'implemented',
            comment: 'Done',
          })
        ).stage;
      }
      if (stage !== 'closed') throw new Error(`${ref} ended in ${stage}`);
      spans.push({ start, end: performance.now() - started });
      if (++closed % 25 === 0) log(`lifecycle: ${closed}/${n} closed`);
      if (midway && closed === Math.max(1, Math.floor(n / 4))) {
        midwayAt = performance.now() - started;
        await midway();
      }
      return ref;
    },
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const mem = memory.stop();
  const cache = await workerCacheMetrics(stack.workerMetricsUrl);
  const tasks = await workflowTaskStats(stack.client, refs);
  if (tasks.timedOut.length) log(`lifecycle: workflow tasks timed out: ${tasks.timedOut.join(', ')}`);
  if (tasks.failed.length) log(`lifecycle: workflow tasks failed: ${tasks.failed.join(', ')}`);
  const emails = (await stack.mailCount?.()) ?? NaN;
  return {
    recommendations: n,
    nations: nations.length,
    wallSeconds,
    perMinute: (n / wallSeconds) * 60,
    commands,
    emails,
    historyLength: tasks.length,
    tasks,
    cache,
    workerPeakRssMiB: mem.peakRssMiB,
    workerHwmMiB: mem.hwmMiB,
    retries: retried.count - retriedBefore,
    workflowTasksTimedOut: tasks.timedOut.length,
    commandLatency: latency(timings),
    spans,
    ...(midwayAt === undefined ? {} : { midwayAt }),
  };
}

export async function benchOpen(stack: BenchStack, { open = 1000, concurrency = 16 } = {}): Promise<OpenResult> {
  const t = await tokens(['FRA']);
  await stack.restartWorker();
  const memory = sampleMemory(() => stack.worker.process.pid);
  log(`open: ${open} recommendations raised and in WG consensus (a timer each), all 32 nations`);
  const started = performance.now();
  let done = 0;
  const points = [...new Set([1000, 3000, 10_000, open].filter((p) => p <= open))];
  const curve: OpenResult['curve'] = [];
  let last = { open: 0, at: started };
  const checkpoint = () => {
    const now = performance.now();
    const m = workerMemory(stack.worker.process.pid);
    const raisesPerSecond = ((done - last.open) / (now - last.at)) * 1000;
    curve.push({ open: done, workerRssMiB: m.rssMiB, workerHwmMiB: m.hwmMiB, raisesPerSecond });
    log(
      `open: ${done} open, worker RSS ${m.rssMiB.toFixed(0)} MiB, ${raisesPerSecond.toFixed(1)} raises/s since ${last.open}`,
    );
    last = { open: done, at: now };
  };
  await pool(
    Array.from({ length: open }, (_, i) => i),
    concurrency,
    async (i) => {
      const ref = await raiseVia(stack.api, t.secretariat, {
        title: `Open bench ${i}`,
        policy: { consensusSilence: 'P14D', silenceReminders: ['P3D'] },
      });
      // Sent as a client of the contract sends it: a 503 goes again with its key (counted and printed).
      expect2xx(
        await command(stack.api, `/api/v1/recommendations/${ref}/consensus`, t.secretariat, { silence: 'P14D' }),
        'consensus',
      );
      done++;
      if (points.includes(done)) checkpoint();
      else if (done % 500 === 0) log(`open: ${done}/${open}`);
    },
  );
  const raiseSeconds = (performance.now() - started) / 1000;
  await sleep(3000);
  const mem = memory.stop();
  const now = workerMemory(stack.worker.process.pid);
  return {
    open,
    raiseSeconds,
    workerRssMiB: now.rssMiB,
    workerHwmMiB: Math.max(mem.hwmMiB, now.hwmMiB),
    curve,
    cacheSize: Number(stack.env.WORKER_MAX_CACHED_WORKFLOWS ?? NaN),
  };
}
