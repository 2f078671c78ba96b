/**
 * What the workflow histories and the worker's own metrics say about workflow tasks under load: the
 * tasks that timed out or failed, the tasks that had to replay the whole history (taken from the
 * normal queue after the run's first task: the worker no longer had the run cached), and how long
 * the worker held them.
 */
import { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import pLimit from 'p-limit';
import { percentile } from './percentile';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;
const NORMAL = temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL;

export interface WorkflowTaskStats {
  histories: number;
  /** Runs read: a workflow that continued as new has several. */
  runs: number;
  /** Events per run, p50 and max. */
  length: { p50: number; max: number };
  tasks: number;
  timedOut: string[];
  failed: string[];
  /** Tasks after the first taken from the normal queue: each replayed the history from its first event. */
  replays: number;
  /** How long the worker held a task (started → completed), ms: cached tasks and replays apart. */
  cached: { p50: number; p99: number; max: number };
  replayed: { p50: number; p99: number; max: number };
}

const spread = (xs: number[]) => ({
  p50: percentile(xs, 50),
  p99: percentile(xs, 99),
  max: xs.length ? Math.max(...xs) : NaN,
});

/** Reads every history (8 workflows at a time, every run of each) and counts its workflow tasks. */
export async function workflowTaskStats(client: Client, workflowIds: string[]): Promise<WorkflowTaskStats> {
  const lengths: number[] = [];
  const cached: number[] = [];
  const replayed: number[] = [];
  const timedOut: string[] = [];
  const failed: string[] = [];
  let replays = 0;
  const limit = pLimit(8);
  let runs = 0;
  const count = (id: string, events: HistoryEvent[]) => {
    runs++;
    lengths.push(events.length);
    const scheduled = new Map<string, { normal: boolean; startedAt?: number }>();
    let first = true;
    for (const e of events) {
      const at = tsToMs(e.eventTime);
      const where = `${id} event ${String(e.eventId)}`;
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) {
        const kind = e.workflowTaskScheduledEventAttributes?.taskQueue?.kind;
        scheduled.set(String(e.eventId), { normal: kind === NORMAL });
      } else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
        const task = scheduled.get(String(e.workflowTaskStartedEventAttributes?.scheduledEventId));
        if (task) task.startedAt = at;
      } else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        const task = scheduled.get(String(e.workflowTaskCompletedEventAttributes?.scheduledEventId));
        if (task?.startedAt !== undefined) {
          const held = at - task.startedAt;
          if (task.normal && !first) {
            replays++;
            replayed.push(held);
          } else cached.push(held);
        }
        first = false;
      } else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) timedOut.push(where);
      else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
        const a = e.workflowTaskFailedEventAttributes;
        const cause = temporal.api.enums.v1.WorkflowTaskFailedCause[a?.cause ?? 0] ?? String(a?.cause);
        failed.push(
          `${where} (${cause.replace('WORKFLOW_TASK_FAILED_CAUSE_', '')}${a?.failure?.message ? `: ${a.failure.message}` : ''})`,
        );
      }
    }
  };
  await Promise.all(
    workflowIds.map((id) =>
      limit(async () => {
        // The latest run, then each run it continued from.
        let runId: string | undefined;
        for (;;) {
          const events = (await client.workflow.getHandle(id, runId).fetchHistory()).events ?? [];
          count(id, events);
          runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
          if (!runId) break;
        }
      }),
    ),
  );
  return {
    histories: workflowIds.length,
    runs,
    length: { p50: percentile(lengths, 50), max: Math.max(...lengths) },
    tasks: cached.length + replayed.length,
    timedOut,
    failed,
    replays,
    cached: spread(cached),
    replayed: spread(replayed),
  };
}

export interface WorkerCacheMetrics {
  /** Runs the worker evicted other than by ending (cache full, errors): counted by the SDK. */
  forcedEvictions: number;
  cacheHits: number;
  cacheMisses: number;
}

/** The SDK's sticky-cache counters from the worker's Prometheus endpoint. */
export async function workerCacheMetrics(metricsUrl: string): Promise<WorkerCacheMetrics> {
  const text = await (await fetch(metricsUrl)).text();
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return {
    forcedEvictions: sum('temporal_sticky_cache_total_forced_eviction_total'),
    cacheHits: sum('temporal_sticky_cache_hit_total'),
    cacheMisses: sum('temporal_sticky_cache_miss_total'),
  };
}
