import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkerOptions } from '@app/testing/replay';
import {
  command,
  harness,
  quietPolicy,
  quietHistory,
  reachStage,
  startInput,
  type Harness,
  type HistoryEvent,
} from './lifecycle-harness';
import { actors } from '@app/domain/testing/fixtures';

/**
 * The current code's patches (docs/operations.md, "Changing workflow code safely"): each committed
 * history took the path its markers say, both paths are among them (so replay covers both), and a
 * new execution records the markers and replays.
 * - `delivery-task-queue`: mail's activities on `<task queue>-delivery`, without it on the workflow's queue;
 * - `prepare-ahead`: `prepare` is scheduled only with it;
 * - `prepare-task-queue`: `prepare` on `<task queue>-prepare`, without it where `delivery-task-queue` says.
 */
const dir = join(__dirname, '..', '..', 'workflows', 'histories');
const eventsOf = (file: string): HistoryEvent[] =>
  (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { events: HistoryEvent[] }).events;
/** The lifecycle's histories (the patches are the lifecycle's; other workflows' histories are replayed, not read here). */
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .filter(
    (f) => eventsOf(f)[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name === 'recommendationLifecycle',
  )
  .sort();

/** Marker payloads are bytes from the server and base64 in the CLI's JSON: read both. */
function markerText(e: HistoryEvent): string {
  const details = e.markerRecordedEventAttributes?.details ?? {};
  return Object.values(details)
    .flatMap((p) => p.payloads ?? [])
    .map((p) =>
      typeof p.data === 'string' ? Buffer.from(p.data, 'base64').toString() : Buffer.from(p.data ?? []).toString(),
    )
    .join(' ');
}

const marked = (events: HistoryEvent[], patch: string): boolean => events.some((e) => markerText(e).includes(patch));
const scheduled = (events: HistoryEvent[], activity: string): { taskQueue: string }[] =>
  events.flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    return a?.activityType?.name === activity ? [{ taskQueue: a.taskQueue?.name ?? '' }] : [];
  });

function tookMarkedPaths(events: HistoryEvent[]): void {
  const ownQueue = marked(events, 'prepare-task-queue');
  const mail = [...scheduled(events, 'notify'), ...(ownQueue ? [] : scheduled(events, 'prepare'))];
  expect(mail.every((a) => a.taskQueue.endsWith('-delivery'))).toBe(marked(events, 'delivery-task-queue'));
  if (ownQueue) expect(scheduled(events, 'prepare').every((a) => a.taskQueue.endsWith('-prepare'))).toBe(true);
  if (!marked(events, 'prepare-ahead')) expect(scheduled(events, 'prepare')).toEqual([]);
}

describe('patches of the current code', () => {
  it.each(files)('%s took the paths its markers say', (file) => tookMarkedPaths(eventsOf(file)));

  it('the committed histories hold both paths of each patch', () => {
    const all = files.map(eventsOf);
    for (const patch of ['delivery-task-queue', 'prepare-ahead', 'prepare-task-queue']) {
      expect(all.some((events) => marked(events, patch))).toBe(true);
      expect(all.some((events) => !marked(events, patch))).toBe(true);
    }
  });

  describe('a new execution', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await harness('versioning');
    });
    afterAll(() => h.close());

    it('records every marker, takes the new paths, and its own history replays', () =>
      h.run(async () => {
        const reference = `DIPB-2099-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
        const input = startInput(reference, quietPolicy({ consensusSilence: 'PT3S', approvalSilence: 'PT30S' }));
        const handle = await h.client.workflow.start('recommendationLifecycle', {
          workflowId: reference,
          taskQueue: h.taskQueue,
          args: [input],
        });
        await command(handle, actors.secretariat(), { type: 'call-consensus' });
        await reachStage(handle, 'senior-approval');
        const history = await quietHistory(handle);
        await handle.terminate('versioning test done');
        const events = history.events ?? [];
        for (const patch of ['delivery-task-queue', 'prepare-ahead', 'prepare-task-queue'])
          expect(marked(events, patch)).toBe(true);
        expect(scheduled(events, 'prepare').length).toBeGreaterThan(0);
        tookMarkedPaths(events);
        await expect(Worker.runReplayHistory(bundleWorkerOptions(), history, reference)).resolves.toBeUndefined();
      }));
  });
});
