import { Metadata, status } from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import { ServiceError, type Client } from '@temporalio/client';
import type { AppConfig } from '@app/config';
import type { Actor } from '@app/domain';
import type { IdempotencyRepository } from '@app/persistence';
import type { CommandAck } from '../definitions';
import { LifecycleClient, TemporalUnavailableError } from './lifecycle-client';
import type { TemporalClientProvider } from './temporal-client.provider';

/** The server's answer when the workflow task that carried an update failed or timed out (WorkflowNotReady). */
function workflowTaskFailed(): Error {
  const grpc = Object.assign(new Error('9 FAILED_PRECONDITION'), {
    code: status.FAILED_PRECONDITION,
    details: 'Unable to perform workflow execution update due to unexpected workflow task failure.',
    metadata: new Metadata(),
  });
  return new ServiceError('Workflow Update failed', { cause: grpc });
}

const ACK: CommandAck = { reference: 'DIPB-2026-0001', seq: 7, stage: 'wg-consensus', revision: 1 };
const actor: Actor = { id: 'wg-fra', roles: ['wg-member'], nation: 'FRA', workingGroups: ['IC'] };

/** The client with Temporal's SDK at its edge: `executeUpdate` answers from the list given, one call each. */
function clientAnswering(answers: (() => Promise<CommandAck>)[], timeoutMs = 2000) {
  const updateIds: string[] = [];
  const sdk = {
    withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
    workflow: {
      getHandle: () => ({
        executeUpdate: (_update: unknown, options: { updateId: string }) => {
          updateIds.push(options.updateId);
          const next = answers.shift();
          if (!next) throw new Error('no more answers');
          return next();
        },
      }),
    },
  } as unknown as Client;
  const provider = { get: (): Promise<Client> => Promise.resolve(sdk) } as unknown as TemporalClientProvider;
  const config = { TEMPORAL_CALL_TIMEOUT_MS: timeoutMs } as AppConfig;
  const lifecycle = new LifecycleClient(provider, {} as IdempotencyRepository, config);
  return { lifecycle, updateIds };
}

describe('LifecycleClient: a command whose workflow task failed under it', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('is sent again at once with the same update id, and answered', async () => {
    const { lifecycle, updateIds } = clientAnswering([
      () => Promise.reject(workflowTaskFailed()),
      () => Promise.reject(workflowTaskFailed()),
      () => Promise.resolve(ACK),
    ]);
    const outcome = await lifecycle.command(
      'DIPB-2026-0001',
      { type: 'consensus-position', position: 'concur', comment: '' },
      actor,
    );
    expect(outcome).toEqual({ ack: ACK });
    expect(updateIds).toHaveLength(3);
    expect(new Set(updateIds).size).toBe(1);
  });

  it('is answered unavailable, naming the cause, when it has not gone through by the deadline', async () => {
    const failures = Array.from({ length: 50 }, () => () => Promise.reject(workflowTaskFailed()));
    const { lifecycle, updateIds } = clientAnswering(failures, 400);
    const answer = lifecycle.command(
      'DIPB-2026-0001',
      { type: 'consensus-position', position: 'concur', comment: '' },
      actor,
    );
    await expect(answer).rejects.toThrow(TemporalUnavailableError);
    await expect(answer).rejects.toThrow(/workflow task failed or timed out while it carried the command/);
    expect(updateIds.length).toBeGreaterThan(1);
    expect(new Set(updateIds).size).toBe(1);
  });
});
