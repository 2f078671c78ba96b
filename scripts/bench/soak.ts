/**
 * soak: N recommendations × 32 nations arriving evenly over M minutes, each from raise to closed with
 * reminders, overdue notices, an escalation and progress reports falling due throughout (the story is
 * in libs/testing/src/soak.ts). Prints commands answered 503, workflow tasks timed out and failed
 * (read from every history), whole-history replays, p50/p99 per kind of command, the worker's peak
 * memory, and mail sent, dropped and duplicated. The goal: zero 503s and zero workflow-task timeouts,
 * every lifecycle ending right.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { runSoak, type SoakCommand, type SoakResult } from '../../libs/testing/src/soak';
import { eventually } from '../../libs/testing/src/wait';
import { latency, log, sampleMemory, type BenchStack, type Latency } from './common';
import {
  workerCacheMetrics,
  workflowTaskStats,
  type WorkerCacheMetrics,
  type WorkflowTaskStats,
} from '../../libs/testing/src/workflow-tasks';

export interface SoakBenchResult {
  lifecycles: number;
  minutes: number;
  unitSeconds: number;
  wallSeconds: number;
  commands: Record<SoakCommand, { count: number; answered503: number } & Latency>;
  answered503: number;
  failures: string[];
  endedRight: number;
  endedWrong: string[];
  tasks: WorkflowTaskStats;
  cache: WorkerCacheMetrics;
  workerPeakRssMiB: number;
  workerHwmMiB: number;
  /** The outbox by status once nothing is pending, and what reached the SMTP server. */
  mail: { byStatus: Record<string, number>; delivered: number; duplicated: number };
}

/** Message-IDs of the messages MailDev stored, from its .eml files: one file per message it accepted. */
function deliveredMessageIds(mailDir: string): string[] {
  return readdirSync(mailDir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => /^message-id:\s*(\S+)/im.exec(readFileSync(join(mailDir, f), 'utf8'))?.[1] ?? f);
}

export async function benchSoak(
  stack: BenchStack,
  { lifecycles = 1000, minutes = 30, unitSeconds = 5 } = {},
): Promise<SoakBenchResult> {
  await stack.restartWorker();
  const memory = sampleMemory(() => stack.worker.process.pid);
  log(
    `soak: ${lifecycles} recommendations × 32 nations over ${minutes} min (time unit ${unitSeconds} s: silences ${4 * unitSeconds} s, answers due ${12 * unitSeconds} s)`,
  );
  const run: SoakResult = await runSoak(stack.api, {
    lifecycles,
    unitMs: unitSeconds * 1000,
    spreadMs: minutes * 60_000,
    progress: (line) => log(`soak: ${line}`),
  });
  const mem = memory.stop();
  const cache = await workerCacheMetrics(stack.workerMetricsUrl);
  const db = new PgClient({ connectionString: stack.databaseUrl });
  await db.connect();
  let byStatus: Record<string, number> = {};
  try {
    // Every message owed is settled (sent, dropped, skipped or failed for good) before it is counted; what is
    // still pending after two minutes is printed as such (a prepared row never settled is a finding).
    await eventually(
      async () => {
        const { rows } = await db.query<{ status: string; n: string }>(
          `SELECT status, count(*) AS n FROM notifications GROUP BY status`,
        );
        byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
        return (byStatus.pending ?? 0) === 0;
      },
      120_000,
      2000,
    ).catch(() => log(`soak: ${byStatus.pending} messages still pending after two minutes`));
  } finally {
    await db.end();
  }
  const ids = deliveredMessageIds(stack.mailDir);
  const tasks = await workflowTaskStats(stack.client, run.references);
  for (const where of [...tasks.timedOut, ...tasks.failed]) log(`soak: workflow task ${where}`);
  for (const failure of run.failures.slice(0, 20)) log(`soak: ${failure}`);
  for (const line of run.unavailable.slice(0, 20)) log(`soak: 503: ${line}`);
  for (const wrong of run.endedWrong.slice(0, 20)) log(`soak: ended wrong: ${wrong}`);
  const commands = Object.fromEntries(
    Object.entries(run.commands).map(([kind, s]) => [
      kind,
      { count: s.count, answered503: s.answered503, ...latency(s.latenciesMs) },
    ]),
  ) as SoakBenchResult['commands'];
  return {
    lifecycles,
    minutes,
    unitSeconds,
    wallSeconds: run.wallMs / 1000,
    commands,
    answered503: Object.values(run.commands).reduce((n, s) => n + s.answered503, 0),
    failures: run.failures,
    endedRight: run.endedRight,
    endedWrong: run.endedWrong,
    tasks,
    cache,
    workerPeakRssMiB: mem.peakRssMiB,
    workerHwmMiB: mem.hwmMiB,
    mail: { byStatus, delivered: ids.length, duplicated: ids.length - new Set(ids).size },
  };
}
