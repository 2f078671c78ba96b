/**
 * Mail has a task queue of its own. The lifecycle's `notify` and `prepare` activities go to
 * `<the workflow's task queue>-delivery`, which the worker process serves with a second worker and
 * its own activity slots. Commands' `persist` activities stay on the workflow's queue. Sharing one
 * queue, a burst of mail filled every activity slot of the worker: 100 batches were each waiting on
 * the SMTP limit or yielding to it, and a command's `persist` waited 10 s in the queue behind them
 * (`npm run bench -- --only open`, docs/benchmarks.md). Pure: imported by the workflow and the worker.
 */
export const DELIVERY_TASK_QUEUE_SUFFIX = '-delivery';

export function deliveryTaskQueue(taskQueue: string): string {
  return `${taskQueue}${DELIVERY_TASK_QUEUE_SUFFIX}`;
}
