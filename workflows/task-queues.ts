/**
 * Mail's task queue: `notify` and `prepare` go to `<the workflow's task queue>-delivery`, served by a
 * second worker with its own activity slots, so a burst of mail never holds the slots a command's
 * `persist` needs (docs/benchmarks.md, "Mail on a task queue of its own"). Pure: imported by the
 * workflow and the worker.
 */
export const DELIVERY_TASK_QUEUE_SUFFIX = '-delivery';

export function deliveryTaskQueue(taskQueue: string): string {
  return `${taskQueue}${DELIVERY_TASK_QUEUE_SUFFIX}`;
}

/**
 * Priorities on the delivery queue (1 highest, Temporal's default 3): a burst's sends are dispatched
 * before the preparations of the next timer queued with them (`lifecycle-activities.ts`).
 */
export const SEND_PRIORITY = 1;
export const PREPARE_PRIORITY = 5;
