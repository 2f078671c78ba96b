import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { DIGEST_SCHEDULE_ID, DIGEST_SCHEDULE_SPEC, DIGEST_TIME_ZONE, DIGEST_WORKFLOW_TYPE } from '../digest';

/**
 * Creates the weekly digest's Temporal Schedule unless it exists. An existing schedule is left as it
 * is: an operator may have paused it or changed it in the UI or CLI, and a restart must not undo that.
 */
export async function ensureDigestSchedule(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: DIGEST_SCHEDULE_ID,
      spec: { calendars: [{ ...DIGEST_SCHEDULE_SPEC, second: 0 }], timezone: DIGEST_TIME_ZONE },
      action: {
        type: 'startWorkflow',
        workflowType: DIGEST_WORKFLOW_TYPE,
        workflowId: DIGEST_SCHEDULE_ID,
        taskQueue,
        args: [],
        staticSummary: 'Weekly digest to the DIPB secretariat',
      },
      policies: {
        // A run still going (SMTP down) when the next is due: the next waits for it instead of being skipped.
        overlap: ScheduleOverlapPolicy.BUFFER_ONE,
        // Temporal down across Monday 08:00: the week's digest still goes when it is back, within the week.
        catchupWindow: '6 days',
        pauseOnFailure: false,
      },
      memo: { purpose: 'DIPB weekly digest: answers, reports, due dates, overdue and escalations of the week' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
