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
