import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { wakeWebhook, type WebhookActivities, type WebhookRound, type WebhookWorkflowInput } from '@app/temporal';
import { deliveryTaskQueue, webhookTaskQueue } from './task-queues';

/** Rounds per run before continue-as-new: a run's history stays a few thousand events at most. */
const ROUNDS_PER_RUN = 250;

/**
 * One webhook subscription's delivery loop (docs/design.md, "Webhooks"). Its state is in PostgreSQL
 * (the subscription's position in the change feed); the workflow makes the loop durable: a round runs
 * as an activity on the webhook task queue, and a failed delivery waits its backoff in a timer here,
 * visible to operators, surviving any restart. A `wake` signal cuts the wait short. The run ends when
 * the subscription is turned off or deleted; after giving up on it, the secretariat is told first.
 */
export async function webhookSubscription(input: WebhookWorkflowInput): Promise<WebhookRound> {
  const queue = workflowInfo().taskQueue;
  const { deliverWebhooks } = proxyActivities<WebhookActivities>({
    taskQueue: webhookTaskQueue(queue),
    // A round waits for commits for about a minute; a worker that dies is noticed by the heartbeat.
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '30 seconds',
    // Only the infrastructure fails a round (PostgreSQL down, a worker gone); a receiver's failure is an answer.
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
    summary: 'deliver webhooks',
  });
  const { noticeWebhookDisabled } = proxyActivities<WebhookActivities>({
    taskQueue: deliveryTaskQueue(queue),
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
    summary: 'tell the secretariat',
  });
  let woken = false;
  setHandler(wakeWebhook, () => {
    woken = true;
  });
  for (let round = 1; ; round += 1) {
    woken = false;
    const result = await deliverWebhooks({ subscriptionId: input.subscriptionId });
    if (result.kind === 'stopped') {
      if (result.reason === 'disabled') await noticeWebhookDisabled({ subscriptionId: input.subscriptionId });
      return result;
    }
    if (result.kind === 'failing') await condition(() => woken, result.retryInMs);
    if (round >= ROUNDS_PER_RUN || workflowInfo().continueAsNewSuggested)
      await continueAsNew<typeof webhookSubscription>(input);
  }
}
