export { recommendationLifecycle } from './recommendation-lifecycle.workflow';
export { weeklyDigest } from './weekly-digest.workflow';
export { webhookSubscription } from './webhook-subscription.workflow';
