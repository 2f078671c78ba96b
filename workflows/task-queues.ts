/**
 * Mail's task queues, each served by a worker of its own in every worker process, with activity slots
 * of its own (docs/benchmarks.md, "Mail on a task queue of its own", "A pool for preparing"):
 * - `<the workflow's task queue>-delivery`: `notify`, the sends, so a burst of mail never holds the slots
 *   a command's `persist` needs;
 * - `<the workflow's task queue>-prepare`: `prepare`, composing the next timer's messages ahead of it, so
 *   preparing for later never holds the slots a burst's sends wait for.
 * Pure: imported by the workflow and the worker.
 */
export const DELIVERY_TASK_QUEUE_SUFFIX = '-delivery';
export const PREPARE_TASK_QUEUE_SUFFIX = '-prepare';

export function deliveryTaskQueue(taskQueue: string): string {
  return `${taskQueue}${DELIVERY_TASK_QUEUE_SUFFIX}`;
}

export function prepareTaskQueue(taskQueue: string): string {
  return `${taskQueue}${PREPARE_TASK_QUEUE_SUFFIX}`;
}

/** Webhook deliveries: one long-running round per active subscription, in slots of their own. */
export const WEBHOOK_TASK_QUEUE_SUFFIX = '-webhooks';

export function webhookTaskQueue(taskQueue: string): string {
  return `${taskQueue}${WEBHOOK_TASK_QUEUE_SUFFIX}`;
}
