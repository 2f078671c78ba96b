import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { SCHEDULED_START_TIME, type DigestActivities, type DigestResult } from '@app/temporal';

const { sendWeeklyDigest } = proxyActivities<DigestActivities>({
  // Rendering the chart and one SMTP exchange; retried with backoff while PostgreSQL or SMTP is down.
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
  summary: 'weekly digest to the secretariat',
});

/**
 * The secretariat's weekly digest, started by the `dipb-weekly-digest` schedule (Monday 08:00,
 * Brussels) or by `temporal schedule trigger`. The week of the schedule's nominal time is the
 * message's identity, so a second run in the same week (a trigger, a catch-up, a retry) sends nothing.
 */
export async function weeklyDigest(): Promise<DigestResult> {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.runStartTime;
  return await sendWeeklyDigest({ scheduledAt: scheduled.toISOString() });
}
