import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import type { Actor, Command, DeliveryResult, Policy, PolicyInput } from '@app/domain';
import { policy } from '@app/domain/testing/fixtures';
import { updates, type CommandAck, type LifecycleActivities, type LifecycleInput } from '@app/temporal';
import { bundleWorkerOptions } from '@app/testing/replay';
import { eventually, sleep } from '@app/testing';
import { deliveryTaskQueue, prepareTaskQueue } from '../../workflows/task-queues';

/**
 * The current workflow code on an in-process worker (both task queues) with activities that succeed
 * at once: for tests about the workflow's commands and for recording committed histories.
 */
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
export type History = temporal.api.history.v1.IHistory;

export const TEXT_HASH = 'a'.repeat(64);
/** A policy without reminders or automatic submission: the paths recorded hold only what they name. */
export function quietPolicy(input: PolicyInput): Policy {
  return policy({ silenceReminders: [], responseReminders: [], autoSubmit: false, ...input });
}

export function startInput(reference: string, p: Policy): LifecycleInput {
  return {
    kind: 'start',
    reference,
    raisedBy: { id: 'sec-anna', role: 'secretariat' },
    raise: {
      title: 'Recorded',
      textHash: TEXT_HASH,
      workingGroup: 'IC',
      language: 'en',
      nations: ['FRA', 'DEU'],
      policy: p,
      rapporteur: null,
    },
  };
}

const activities: Pick<LifecycleActivities, 'persist' | 'notify' | 'prepare'> = {
  persist: ({ events }) => Promise.resolve({ version: events[events.length - 1]?.seq ?? 0 }),
  notify: ({ requests }) =>
    Promise.resolve(
      requests.map((r): DeliveryResult => ({
        identity: r.identity,
        status: 'sent',
        address: 'x@example.org',
        messageId: `<${r.identity}>`,
        sentAt: new Date().toISOString(),
        error: null,
      })),
    ),
  // Composing takes a moment, as it does in life: a plan that changes meanwhile queues its own behind it.
  prepare: async ({ requests, release }) => {
    await sleep(300);
    return { prepared: requests.length, released: release.length };
  },
};

export interface Harness {
  client: Client;
  taskQueue: string;
  /** Runs `body` while fresh workers poll the three task queues. */
  run<T>(body: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function harness(name: string): Promise<Harness> {
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7243';
  const taskQueue = `${name}-${process.pid}-${Date.now()}`;
  const connection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection });
  return {
    client,
    taskQueue,
    // A worker runs once: each body gets its own three.
    run: async (body) => {
      const [main, delivery, preparing] = await Promise.all([
        Worker.create({ connection, taskQueue, ...bundleWorkerOptions(), activities }),
        Worker.create({ connection, taskQueue: deliveryTaskQueue(taskQueue), activities }),
        Worker.create({ connection, taskQueue: prepareTaskQueue(taskQueue), activities }),
      ]);
      return main.runUntil(delivery.runUntil(preparing.runUntil(body)));
    },
    close: async () => {
      await connection.close();
      await clientConnection.close();
    },
  };
}

let commandIds = 0;
export function command(handle: WorkflowHandle, actor: Actor, c: Command): Promise<CommandAck> {
  commandIds += 1;
  const envelope = { actor, command: c, commandId: `cmd-${commandIds}-${Date.now()}`, v: 2 as const };
  return handle.executeUpdate(updates[c.type], { args: [envelope], updateId: envelope.commandId });
}

export function stageOf(handle: WorkflowHandle): Promise<string> {
  return handle.query<{ stage: string }>('state').then((v) => v.stage);
}

export function reachStage(handle: WorkflowHandle, stage: string): Promise<string> {
  return eventually(async () => ((await stageOf(handle)) === stage ? stage : undefined), 30_000, 100);
}

/** The history once the run has no activity in flight (every task it started has answered). */
export async function quietHistory(handle: WorkflowHandle): Promise<History> {
  await eventually(
    async () => {
      const { raw } = await handle.describe();
      return (raw.pendingActivities ?? []).length === 0 && !raw.pendingWorkflowTask ? true : undefined;
    },
    30_000,
    100,
  );
  return handle.fetchHistory();
}
