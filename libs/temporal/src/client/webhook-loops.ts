import { Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WEBHOOK_WORKFLOW_TYPE, wakeWebhook, webhookWorkflowId, type WebhookWorkflowInput } from '../webhooks';
import { TemporalClientProvider } from './temporal-client.provider';

/**
 * Makes sure a subscription's delivery loop runs: starts its workflow unless one is running (an id
 * conflict keeps the running one), and with `wake`, signals it so a loop waiting out a backoff tries now.
 */
export async function ensureWebhookLoop(
  client: Client,
  taskQueue: string,
  subscriptionId: string,
  wake: boolean,
): Promise<void> {
  const workflowId = webhookWorkflowId(subscriptionId);
  const args: [WebhookWorkflowInput] = [{ subscriptionId }];
  const handle = await client.workflow.start(WEBHOOK_WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args,
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  if (wake) await handle.signal(wakeWebhook);
}

/**
 * The API's side: after a subscription's change is committed, its loop is started or woken. Best
 * effort: the subscription in PostgreSQL is what counts, and the worker starts every active
 * subscription's loop that is not running, at start and each minute (`WebhookLoopsKeeper`), so a
 * Temporal outage at this instant delays delivery, never loses it, and never fails the request.
 */
@Injectable()
export class WebhookLoops {
  private readonly logger = new Logger(WebhookLoops.name);

  constructor(private readonly temporal: TemporalClientProvider) {}

  /** Not awaited by a request: its answer never waits on Temporal (bounded at 10 s all the same). */
  async ensure(subscriptionId: string, wake: boolean): Promise<boolean> {
    try {
      const client = await this.temporal.get();
      await client.withDeadline(Date.now() + 10_000, () =>
        ensureWebhookLoop(client, this.temporal.taskQueue, subscriptionId, wake),
      );
      return true;
    } catch (err) {
      this.logger.warn(
        { err },
        `webhook subscription ${subscriptionId}: its loop could not be started now; the worker will`,
      );
      return false;
    }
  }

  /**
   * Wakes a running loop, starting none: one turned off or deleted stops at once rather than after the
   * backoff it may be waiting out (it would stop then anyway). Not awaited by a request either.
   */
  async wake(subscriptionId: string): Promise<void> {
    try {
      const client = await this.temporal.get();
      await client.withDeadline(Date.now() + 10_000, () =>
        client.workflow.getHandle(webhookWorkflowId(subscriptionId)).signal(wakeWebhook),
      );
    } catch (err) {
      // Not running (a completed or never-started loop), or Temporal away: there is nothing to stop early.
      if (!(err instanceof WorkflowNotFoundError))
        this.logger.warn({ err }, `webhook subscription ${subscriptionId}: its loop could not be woken`);
    }
  }
}
