import { patched, proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { LifecycleActivities } from '@app/temporal';
import { deliveryTaskQueue, prepareTaskQueue } from './task-queues';

/** PostgreSQL or SMTP may be down for a while: activities retry until they succeed, never give up. */
const retry: ActivityOptions['retry'] = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
};
/**
 * One transaction, as a regular activity, not a local one: a local activity runs inside the update's
 * workflow task, which the server may drop and retry, numbering the events again (docs/design.md).
 */
export const persistOptions: ActivityOptions = { startToCloseTimeout: '15 seconds', retry };
/** A batch of messages, heartbeating while it works: a crashed worker is noticed within 10 seconds. */
export const notifyOptions: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry,
};
/**
 * Composing what a timer will owe, ahead of it: a batch of renders and one insert, after waiting up to
 * 20 s for the worker's sends. Its timeout is also how long a closing run waits on a `prepare` lost with
 * its worker or its server before the retry (`close-when-quiet`): 45 s, not minutes.
 */
export const prepareOptions: ActivityOptions = { startToCloseTimeout: '45 seconds', retry };

export const { persist } = proxyActivities<LifecycleActivities>(persistOptions);
export const { notify } = proxyActivities<LifecycleActivities>(notifyOptions);
export const { prepare } = proxyActivities<LifecycleActivities>(prepareOptions);

/**
 * Mail's activities on the delivery task queue (`task-queues.ts`), so a burst of mail never holds the
 * activity slots a command's `persist` needs. Behind a patch: older histories replay as they were.
 */
export function onDeliveryQueue(): Pick<ActivityOptions, 'taskQueue'> {
  return patched('delivery-task-queue') ? { taskQueue: deliveryTaskQueue(workflowInfo().taskQueue) } : {};
}

/**
 * `prepare` on a queue of its own (`task-queues.ts`): composing for a later timer never takes the
 * delivery slots a burst's sends wait for. Behind a patch: older histories replay as they were (on the
 * delivery queue, or on the workflow's own before that).
 */
export function onPrepareQueue(): Pick<ActivityOptions, 'taskQueue'> {
  return patched('prepare-task-queue') ? { taskQueue: prepareTaskQueue(workflowInfo().taskQueue) } : onDeliveryQueue();
}
