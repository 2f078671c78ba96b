import { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apply, initial, toIso, type DomainEvent, type RecommendationView } from '@app/domain';
import type { LifecycleInput } from '@app/temporal';
import { bundleWorkerOptions } from '@app/testing/replay';
import {
  command,
  harness,
  quietPolicy,
  quietHistory,
  reachStage,
  startInput,
  TEXT_HASH,
  type Harness,
  type History,
} from './lifecycle-harness';
import { actors } from '@app/domain/testing/fixtures';
import { sleep } from '@app/testing';

/**
 * The paths the replay suite guards, run on the current code: each run's history replays at once, and
 * with RECORD_HISTORIES=1 it is also written to workflows/histories/current-<name>.json
 * (`RECORD_HISTORIES=1 npm run test:int -- record`). A change to workflow code that alters history
 * records new ones beside the old, under another prefix (`RECORD_HISTORIES_PREFIX=<change>-`; docs/operations.md,
 * "Changing workflow code safely").
 */
const RECORD = process.env.RECORD_HISTORIES === '1';
const PREFIX = process.env.RECORD_HISTORIES_PREFIX ?? 'current-';
const dir = join(__dirname, '..', '..', 'workflows', 'histories');
let h: Harness;
let n = 0;

async function started(input: (reference: string) => LifecycleInput): Promise<WorkflowHandle> {
  n += 1;
  const reference = `DIPB-2099-${String((Date.now() + n) % 1_000_000).padStart(6, '0')}`;
  const handle = await h.client.workflow.start('recommendationLifecycle', {
    workflowId: reference,
    taskQueue: h.taskQueue,
    args: [input(reference)],
  });
  await handle.executeUpdate('sync', { args: [] });
  return handle;
}

async function keep(name: string, handle: WorkflowHandle, history: History): Promise<void> {
  await expect(Worker.runReplayHistory(bundleWorkerOptions(), history, handle.workflowId)).resolves.toBeUndefined();
  if (RECORD) writeFileSync(join(dir, `${PREFIX}${name}.json`), `${historyToJSON(history)}\n`);
}

/** The patches a history's markers record. */
function patchesIn(history: History): string[] {
  return (history.events ?? []).flatMap((e) => {
    const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString()) as { id: string }).id] : [];
  });
}

describe('the paths of the committed histories, on the current code', () => {
  beforeAll(async () => {
    h = await harness('record');
  });
  afterAll(() => h.close());

  it('objections and a second round', () =>
    h.run(async () => {
      const handle = await started((ref) =>
        startInput(ref, quietPolicy({ consensusSilence: 'PT3S', approvalSilence: 'PT3S' })),
      );
      await command(handle, actors.secretariat(), { type: 'call-consensus' });
      await command(handle, actors.wgMember('FRA', ['IC']), {
        type: 'consensus-position',
        position: 'object',
        comment: 'Not yet',
      });
      await command(handle, actors.secretariat(), {
        type: 'revise',
        title: 'Recorded, revised',
        textHash: 'b'.repeat(64),
        baseTextHash: TEXT_HASH,
        note: 'FRA',
      });
      await command(handle, actors.secretariat(), { type: 'call-consensus' });
      await command(handle, actors.wgMember('DEU', ['IC']), {
        type: 'consensus-position',
        position: 'concur',
        comment: '',
      });
      await reachStage(handle, 'senior-approval');
      await command(handle, actors.seniorRep('FRA'), {
        type: 'approval-position',
        position: 'object',
        comment: 'Still not',
      });
      await keep('objections-and-second-round', handle, await quietHistory(handle));
      await handle.terminate('recorded');
    }));

  it('refused commands leave no trace, an accepted one does', () =>
    h.run(async () => {
      const handle = await started((ref) => startInput(ref, quietPolicy({ consensusSilence: 'PT3S' })));
      await expect(command(handle, actors.secretariat(), { type: 'submit' })).rejects.toThrow();
      await expect(command(handle, actors.director('FRA'), { type: 'call-consensus' })).rejects.toThrow();
      await expect(
        command(handle, actors.secretariat(), {
          type: 'call-consensus',
          deadline: toIso(Date.now() + 60_000),
          silence: 'PT1S',
        }),
      ).rejects.toThrow();
      await command(handle, actors.secretariat(), { type: 'call-consensus' });
      await reachStage(handle, 'senior-approval');
      await expect(
        command(handle, actors.seniorRep('FRA'), { type: 'approval-position', position: 'abstain', comment: '' }),
      ).rejects.toThrow();
      await keep('refused-commands', handle, await quietHistory(handle));
      await handle.terminate('recorded');
    }));

  it('withdrawn in follow-up', () =>
    h.run(async () => {
      const p = quietPolicy({
        consensusSilence: 'PT2S',
        approvalSilence: 'PT2S',
        responseDue: 'PT2S',
        overdueEvery: 'PT1S',
        escalateAfter: 1,
      });
      const handle = await started((ref) => startInput(ref, p));
      await command(handle, actors.secretariat(), { type: 'call-consensus' });
      await reachStage(handle, 'approved');
      await command(handle, actors.secretariat(), { type: 'submit' });
      await reachStage(handle, 'follow-up');
      await command(handle, actors.secretariat(), { type: 'withdraw', reason: 'Overtaken by events' });
      await handle.result();
      await keep('withdrawn-in-follow-up', handle, await handle.fetchHistory());
    }));

  it('two nations speak a second before the reminder, one is reminded, then withdrawn', () =>
    h.run(async () => {
      const p = quietPolicy({ consensusSilence: 'PT8S', approvalSilence: 'PT8S', silenceReminders: ['PT4S'] });
      const handle = await started((ref) => {
        const start = startInput(ref, p);
        return start.kind === 'start' ? { ...start, raise: { ...start.raise, nations: ['FRA', 'DEU', 'USA'] } } : start;
      });
      await command(handle, actors.secretariat(), { type: 'call-consensus' });
      const view = await handle.query<RecommendationView>('state');
      // The reminder was composed when the round opened; both positions land within 2 s of its instant.
      await sleep(Date.parse(view.consensus?.deadline ?? '') - 4000 - 1000 - Date.now());
      for (const nation of ['FRA', 'DEU'] as const)
        await command(handle, actors.wgMember(nation, ['IC']), {
          type: 'consensus-position',
          position: 'concur',
          comment: '',
        });
      await reachStage(handle, 'senior-approval');
      await command(handle, actors.secretariat(), { type: 'withdraw', reason: 'Overtaken by events' });
      await handle.result();
      const history = await handle.fetchHistory();
      // The path did what it is kept for: both changes are in its history.
      expect(patchesIn(history)).toEqual(expect.arrayContaining(['keep-prepared-when-near', 'prepare-in-order']));
      await keep('spoken-before-reminder', handle, history);
    }));

  it('a deadline moved and announced, then withdrawn', () =>
    h.run(async () => {
      const p = quietPolicy({ consensusSilence: 'PT1S', approvalSilence: 'PT1S', responseDue: 'PT60S' });
      const handle = await started((ref) => startInput(ref, p));
      await command(handle, actors.secretariat(), { type: 'call-consensus' });
      await reachStage(handle, 'approved');
      await command(handle, actors.secretariat(), { type: 'submit' });
      await command(handle, actors.secretariat(), {
        type: 'move-deadline',
        nation: 'FRA',
        dueAt: toIso(Date.now() + 120_000),
        reason: 'France asked for more time',
      });
      await command(handle, actors.secretariat(), { type: 'withdraw', reason: 'Overtaken by events' });
      await handle.result();
      const history = await handle.fetchHistory();
      expect(patchesIn(history)).toContain('deadline-moved-notice');
      await keep('deadline-moved', handle, history);
    }));

  it('a run continued as new (the state carried as plain data), to withdrawn', () =>
    h.run(async () => {
      const p = quietPolicy({ consensusSilence: 'PT3S', approvalSilence: 'PT30S' });
      const handle = await started((reference) => {
        const start = startInput(reference, p);
        if (start.kind !== 'start') throw new Error('a start input');
        const raised: DomainEvent = {
          type: 'raised',
          at: toIso(Date.now()),
          actor: start.raisedBy,
          revision: 1,
          data: { ...start.raise },
        };
        const step = apply(initial(reference, raised), actors.secretariat(), { type: 'call-consensus' }, Date.now());
        return { kind: 'continue', state: step.state, seq: 2, owed: step.notifications, prepared: [] };
      });
      await reachStage(handle, 'senior-approval');
      await command(handle, actors.secretariat(), { type: 'withdraw', reason: 'Overtaken by events' });
      await handle.result();
      await keep('continued-to-withdrawn', handle, await handle.fetchHistory());
    }));
});
