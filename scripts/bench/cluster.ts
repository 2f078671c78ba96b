/**
 * cluster (only when named): the same service on a production-shape Temporal cluster beside the dev
 * server, in the same run. A second stack (the cluster's frontend, matching, worker and two history
 * hosts on PostgreSQL, its own API, worker, database and MailDev) runs the commands part and N
 * lifecycles as the first stack did; then N lifecycles again on the cluster while one history host is
 * SIGKILLed a quarter of the way in, and what that cost the lifecycles in flight. Before any load, the
 * cluster's processes at rest: resident memory and CPU over 30 s.
 */
import { readFileSync } from 'node:fs';
import { sleep } from '../../libs/testing/src/wait';
import { clusterLayout, type ManagedProcess } from '../stack';
import { latency, log, startStack, type BenchStack, type Latency } from './common';
import { benchCommands, type CommandResult } from './commands';
import { benchLifecycle, type LifecycleResult } from './lifecycle';

export interface RestingProcess {
  name: string;
  rssMiB: number;
  /** Share of one core, averaged over the window. */
  cpuPercent: number;
}

export interface EngineFigures {
  perMinute: number;
  command: Latency;
  lifecycle: Latency;
  /** The commands part: through the API, and its bare `executeUpdate` baseline on the same engine. */
  commands?: { p50: number; p99: number; throughput: number; sdkP99: number; sdkThroughput: number };
  retries: number;
  workflowTasksTimedOut: number;
}

export interface ClusterBenchResult {
  n: number;
  resting: { seconds: number; processes: RestingProcess[] };
  dev: EngineFigures;
  cluster: EngineFigures;
  kill: {
    killedAfterSeconds: number;
    perMinute: number;
    /** Lifecycles that were running at the kill: how long they took, against the undisturbed cluster run. */
    inFlight: number;
    inFlightMean: number;
    undisturbedMean: number;
    costSeconds: number;
    retries: number;
    workflowTasksTimedOut: number;
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** CPU ticks (user + system) and resident memory of a process, from /proc. */
function usage(pid: number): { ticks: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { ticks, rssMiB: Number(rss ?? NaN) / 1024 };
}

/** Each process's CPU share and resident memory over `seconds` of doing nothing asked of it. */
export async function resting(processes: ManagedProcess[], seconds = 30): Promise<RestingProcess[]> {
  const live = processes.filter((x): x is ManagedProcess & { pid: number } => x.running && x.pid !== undefined);
  const before = live.map((x) => usage(x.pid));
  await sleep(seconds * 1000);
  // Linux counts CPU time in clock ticks of 1/100 s (USER_HZ).
  return live.map((x, i) => {
    const after = usage(x.pid);
    return { name: x.name, rssMiB: after.rssMiB, cpuPercent: (after.ticks - before[i]!.ticks) / seconds };
  });
}

function figures(l: LifecycleResult, c?: CommandResult): EngineFigures {
  const durations = l.spans.map((s) => s.end - s.start);
  return {
    perMinute: l.perMinute,
    command: l.commandLatency,
    lifecycle: latency(durations),
    ...(c
      ? {
          commands: {
            p50: c.api.p50,
            p99: c.api.p99,
            throughput: c.api.throughput,
            sdkP99: c.sdk.p99,
            sdkThroughput: c.sdk.throughput,
          },
        }
      : {}),
    retries: l.retries,
    workflowTasksTimedOut: l.workflowTasksTimedOut,
  };
}

export async function benchCluster(
  dev: BenchStack,
  { n = 50, offset = 300, apiPort = 3897, smtpPort = 1728, mailWebPort = 1788, withCommands = true } = {},
): Promise<ClusterBenchResult> {
  const layout = clusterLayout(offset, 'temporal-cbench', '_cbench');
  const cluster = await startStack({
    temporalPort: 0,
    cluster: layout,
    build: false,
    smtpPort,
    mailWebPort,
    database: 'dipb_bench_cluster',
    apiPort,
  });
  try {
    log('cluster: its processes at rest for 30 s (the API and worker connected, nothing asked)');
    await sleep(10_000);
    const processes = await resting(cluster.clusterProcesses ?? [], 30);
    for (const x of processes)
      log(`cluster: at rest ${x.name}: ${x.rssMiB.toFixed(0)} MiB resident, ${x.cpuPercent.toFixed(1)}% of a core`);

    const devCommands = withCommands ? await benchCommands(dev, {}) : undefined;
    const clusterCommands = withCommands ? await benchCommands(cluster, {}) : undefined;
    log(`cluster: ${n} lifecycles on the dev server, then on the cluster`);
    const devLife = await benchLifecycle(dev, { n });
    const clusterLife = await benchLifecycle(cluster, { n });

    const history2 = cluster.clusterProcesses?.find((x) => x.name === 'temporal-cbench-history-2');
    if (!history2?.running) throw new Error('temporal-cbench-history-2 is not running');
    log(`cluster: ${n} lifecycles again, history-2 SIGKILLed once a quarter have closed`);
    const killed = await benchLifecycle(cluster, {
      n,
      midway: () => {
        log(`cluster: SIGKILL to temporal-cbench-history-2 (pid ${history2.pid})`);
        history2.signal('SIGKILL');
      },
    });
    const at = killed.midwayAt ?? NaN;
    const inFlight = killed.spans.filter((s) => s.start <= at && s.end >= at).map((s) => s.end - s.start);
    const undisturbedMean = mean(clusterLife.spans.map((s) => s.end - s.start));
    return {
      n,
      resting: { seconds: 30, processes },
      dev: figures(devLife, devCommands),
      cluster: figures(clusterLife, clusterCommands),
      kill: {
        killedAfterSeconds: at / 1000,
        perMinute: killed.perMinute,
        inFlight: inFlight.length,
        inFlightMean: mean(inFlight),
        undisturbedMean,
        costSeconds: (mean(inFlight) - undisturbedMean) / 1000,
        retries: killed.retries,
        workflowTasksTimedOut: killed.workflowTasksTimedOut,
      },
    };
  } finally {
    await cluster.close();
    await Promise.all((cluster.clusterProcesses ?? []).map((x) => x.stop()));
  }
}
