import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy, type NotificationRequest, type Policy } from '@app/domain';
import { bundleWorkerOptions } from '@app/testing/replay';
import { updates, type DeliveryResult, type LifecycleActivities, type LifecycleInput } from '../../workflows/legacy/v1/definitions';

/**
 * The example patch `publish-before-flush` of the v1 code (docs/operations.md, "Changing workflow
 * code"): histories recorded before it replay along the old path (no marker; the flush's activities
 * before the search attribute upsert), histories recorded after it carry the marker and published
 * first, and a new execution of the v1 code records the marker and publishes first. The v1 code is
 * frozen in workflows/legacy/v1 and still replays every v1 history.
 */
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const PATCH = 'publish-before-flush';
const dir = join(__dirname, '..', '..', 'workflows', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const eventsOf = (file: string): HistoryEvent[] => (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { events: HistoryEvent[] }).events;

/** Marker payloads are bytes from the server and base64 in the CLI's JSON: read both. */
function markerText(e: HistoryEvent): string {
  const details = e.markerRecordedEventAttributes?.details ?? {};
  return Object.values(details)
    .flatMap((p) => p.payloads ?? [])
    .map((p) => (typeof p.data === 'string' ? Buffer.from(p.data, 'base64').toString() : Buffer.from(p.data ?? []).toString()))
    .join(' ');
}

const patched = (events: HistoryEvent[]): boolean => events.some((e) => markerText(e).includes(PATCH));

/** After the first timer fired: does the search attribute upsert come before the next scheduled activity? */
function publishesBeforeFlushAfterTimer(events: HistoryEvent[]): boolean | null {
  const fired = events.findIndex((e) => e.timerFiredEventAttributes);
  if (fired < 0) return null;
  const rest = events.slice(fired);
  const upsert = rest.findIndex((e) => e.upsertWorkflowSearchAttributesEventAttributes);
  const activity = rest.findIndex((e) => e.activityTaskScheduledEventAttributes);
  if (upsert < 0 || activity < 0) return null;
  return upsert < activity;
}

describe(`patch ${PATCH}`, () => {
  const v1Files = files.filter((f) => !f.startsWith('current-'));
  it.each(v1Files)('%s took the path its marker says (none: flush then publish; marker: publish then flush)', (file) => {
    const events = eventsOf(file);
    const order = publishesBeforeFlushAfterTimer(events);
    if (order !== null) expect(order).toBe(patched(events));
  });

  it('the committed histories show both orders (so the check above means something, and replay covers both paths)', () => {
    const orders = v1Files.map((f) => eventsOf(f)).map((events) => ({ patched: patched(events), order: publishesBeforeFlushAfterTimer(events) }));
    expect(orders.filter((o) => !o.patched && o.order === false).length).toBeGreaterThanOrEqual(2);
    expect(orders.filter((o) => o.patched && o.order === true).length).toBeGreaterThanOrEqual(1);
  });

  it('a new execution takes the new path, and its own history replays', async () => {
    const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7243';
    const taskQueue = `versioning-${process.pid}-${Date.now()}`;
    const connection = await NativeConnection.connect({ address });
    const clientConnection = await Connection.connect({ address });
    const client = new Client({ connection: clientConnection });
    // Activities that succeed at once: this test is about the workflow's commands, not the record.
    const activities: LifecycleActivities = {
      project: () => Promise.resolve(),
      deliver: ({ requests }: { requests: NotificationRequest[] }) =>
        Promise.resolve(
          requests.map((r): DeliveryResult => ({ identity: r.identity, status: 'sent', address: 'x@example.org', messageId: `<${r.identity}>`, sentAt: new Date().toISOString(), error: null })),
        ),
    };
    const worker = await Worker.create({ connection, taskQueue, ...bundleWorkerOptions('v1'), activities });
    const reference = `DIPB-2099-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    try {
      const history = await worker.runUntil(async () => {
        const parsed = parsePolicy({ consensusSilence: 'PT1S', approvalSilence: 'PT30S', silenceReminders: [] });
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
        const policy: Policy = parsed.policy;
        const input: LifecycleInput = {
          kind: 'raise',
          reference,
          raisedBy: { id: 'sec-1', role: 'secretariat' },
          raise: { title: 'Versioning', summary: 'S', body: 'B', workingGroup: 'IC', language: 'en', nations: ['FRA', 'DEU'], policy, rapporteur: null },
        };
        const handle = await client.workflow.start('recommendationLifecycle', { workflowId: reference, taskQueue, args: [input] });
        await handle.executeUpdate(updates['call-consensus'], { args: [{ actor: { id: 'sec-1', roles: ['secretariat'] }, command: { type: 'call-consensus' } }] });
        // Silence holds after a second: the timer fires and approval opens.
        for (let i = 0; i < 100; i++) {
          const view = await handle.query<{ stage: string }>('state');
          if (view.stage === 'senior-approval') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const h = await handle.fetchHistory();
        await handle.terminate('versioning test done');
        return h;
      });
      const events = history.events ?? [];
      expect(events.some((e) => markerText(e).includes(PATCH))).toBe(true);
      expect(publishesBeforeFlushAfterTimer(events)).toBe(true);
      // It replays with the v1 code, and with the current code (which runs v1 histories with the frozen v1 code).
      await expect(Worker.runReplayHistory(bundleWorkerOptions('v1'), history, reference)).resolves.toBeUndefined();
      await expect(Worker.runReplayHistory(bundleWorkerOptions(), history, reference)).resolves.toBeUndefined();
    } finally {
      await connection.close();
      await clientConnection.close();
    }
  }, 60_000);
});
