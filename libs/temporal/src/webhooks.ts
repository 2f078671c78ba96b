import { defineSignal } from '@temporalio/workflow';

/** A subscription's delivery loop, as operators see it in the Temporal UI and CLI. */
export const WEBHOOK_WORKFLOW_TYPE = 'webhookSubscription';

/** One workflow per subscription, named by it: starting it again while it runs only wakes it. */
export function webhookWorkflowId(subscriptionId: string): string {
  return `webhook-subscription-${subscriptionId}`;
}

export interface WebhookWorkflowInput {
  subscriptionId: string;
}

/** Something changed (turned on, rewound, changed): a failing loop tries again now instead of after its backoff. */
export const wakeWebhook = defineSignal('wake');
