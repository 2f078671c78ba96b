import { Inject, Injectable, Logger } from '@nestjs/common';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { createHash, randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { Actor, Command, Refusal, WorkingGroup } from '@app/domain';
import { IdempotencyRepository } from '@app/persistence';
import {
  SA,
  syncUpdate,
  updates,
  WORKFLOW_TYPE,
  type CommandAck,
  type CommandEnvelope,
  type LifecycleInput,
} from '../definitions';
import { temporalAnswer, type TemporalAnswer } from './temporal-answer';
import { TemporalClientProvider } from './temporal-client.provider';

/** The workflow refused the command: the domain's verdict, with its message. */
export class CommandRefusedError extends Error {
  override name = 'CommandRefusedError';
  constructor(
    readonly refusal: Refusal['kind'],
    message: string,
  ) {
    super(message);
  }
}

/** No workflow by that reference (never started, or completed: closed or withdrawn). */
export class WorkflowGoneError extends Error {
  override name = 'WorkflowGoneError';
}

/** Temporal did not answer within the deadline, is unreachable, or shed the call: retry later with the same key. */
export class TemporalUnavailableError extends Error {
  override name = 'TemporalUnavailableError';
  readonly retryAfterSeconds = 5;
}

/** The Idempotency-Key was used before for a different request. */
export class IdempotencyKeyReusedError extends Error {
  override name = 'IdempotencyKeyReusedError';
}

/** What a command came to: the workflow's answer, or the record that it was applied by an earlier attempt. */
export type CommandOutcome = { ack: CommandAck } | { alreadyRecorded: true };

function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * Everything the API asks of Temporal, in one place: raising a recommendation and its commands,
 * with their idempotency and the meaning of each failure.
 *
 * Every call carries a deadline (`TEMPORAL_CALL_TIMEOUT_MS`): a hung or unreachable server gives
 * `TemporalUnavailableError`, never a request that hangs. Retrying with the same Idempotency-Key is
 * then safe whether or not the first attempt took effect: the key becomes the update id (Temporal
 * answers a repeated update once per run), and a key whose command is already in PostgreSQL's event
 * log is answered from there without asking the workflow again (so also after continue-as-new).
 */
@Injectable()
export class LifecycleClient {
  private readonly logger = new Logger(LifecycleClient.name);

  constructor(
    private readonly temporal: TemporalClientProvider,
    private readonly idempotency: IdempotencyRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Starts a recommendation (update-with-start, answered once its first events are in PostgreSQL).
   * With a key, a retried raise reaches the same reference and the same workflow.
   */
  async raise(request: {
    idempotencyKey?: string;
    fingerprint: unknown;
    allocateReference: () => Promise<string>;
    input: (reference: string) => Extract<LifecycleInput, { kind: 'start' }>;
    workingGroup: WorkingGroup;
  }): Promise<{ reference: string; ack: CommandAck }> {
    const hash = fingerprintOf(request.fingerprint);
    let reference: string | null = null;
    if (request.idempotencyKey) {
      const seen = await this.idempotency.find('raise', request.idempotencyKey);
      if (seen && seen.requestHash !== hash)
        throw new IdempotencyKeyReusedError(
          `Idempotency-Key ${request.idempotencyKey} was used for a different recommendation`,
        );
      reference = seen?.reference ?? null;
    }
    if (reference === null) {
      reference = await request.allocateReference();
      if (request.idempotencyKey) {
        const kept = await this.idempotency.remember('raise', request.idempotencyKey, hash, reference);
        if (kept.record.requestHash !== hash)
          throw new IdempotencyKeyReusedError(
            `Idempotency-Key ${request.idempotencyKey} was used for a different recommendation`,
          );
        reference = kept.record.reference;
      }
    }
    const input = request.input(reference);
    const ref = reference;
    const start = (): WithStartWorkflowOperation<Workflow> =>
      new WithStartWorkflowOperation(WORKFLOW_TYPE, {
        workflowId: ref,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        args: [input],
        // A retried raise with the same key reaches the same workflow instead of failing or starting another.
        workflowIdConflictPolicy: 'USE_EXISTING',
        // Fixed for the run; the current title is in the workflow's current details.
        staticSummary: `${ref} · ${request.workingGroup}`,
        typedSearchAttributes: [
          { key: SA.reference, value: ref },
          { key: SA.stage, value: 'drafting' },
          { key: SA.workingGroup, value: request.workingGroup },
        ],
      });
    const ack = await this.call((client) =>
      client.workflow.executeUpdateWithStart(syncUpdate, { startWorkflowOperation: start(), updateId: `raise:${ref}` }),
    );
    return { reference: ref, ack };
  }

  /**
   * Gives a command to a recommendation's workflow. With a key: a reuse for another request is refused,
   * and a command already recorded is not sent again.
   */
  async command(
    reference: string,
    command: Command,
    actor: Actor,
    options: { idempotencyKey?: string; fingerprint?: unknown } = {},
  ): Promise<CommandOutcome> {
    let commandId = `${command.type}:${randomUUID()}`;
    if (options.idempotencyKey) {
      const hash = fingerprintOf({ command: options.fingerprint ?? command, actor: actor.id });
      commandId = `${command.type}:${options.idempotencyKey}`;
      const kept = await this.idempotency.rememberCommand(
        `${reference}:${command.type}`,
        options.idempotencyKey,
        hash,
        reference,
        commandId,
      );
      if (kept.record.requestHash !== hash) {
        throw new IdempotencyKeyReusedError(
          `Idempotency-Key ${options.idempotencyKey} was used for a different ${command.type} on ${reference}`,
        );
      }
      if (kept.recorded) return { alreadyRecorded: true };
    }
    const envelope: CommandEnvelope = { actor, command, commandId, v: 2 };
    const ack = await this.call((client) =>
      client.workflow
        .getHandle(reference)
        .executeUpdate(updates[command.type], { args: [envelope], updateId: commandId }),
    );
    return { ack };
  }

  /** One call to Temporal, bounded by the deadline, its failure turned into what it means. */
  private async call<T>(
    fn: (client: Client) => Promise<T>,
    deadline = Date.now() + this.config.TEMPORAL_CALL_TIMEOUT_MS,
  ): Promise<T> {
    let client: Client;
    try {
      client = await this.temporal.get();
    } catch (err) {
      throw new TemporalUnavailableError(
        `Temporal is unreachable (${err instanceof Error ? err.message : String(err)}); retry later`,
      );
    }
    // An update that did not take effect and may go again at once (its workflow task failed or timed
    // out, the run continued as new under it) is sent again with the same update id until the deadline.
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.withDeadline(deadline, () => fn(client));
      } catch (err) {
        const answer = temporalAnswer(err);
        const pause = Math.min(1000, 100 * 2 ** (attempt - 1));
        if (answer.kind !== 'again' || Date.now() + pause >= deadline) throw this.meaning(answer, err);
        this.logger.warn({ reason: answer.reason, attempt }, 'command sent to Temporal again');
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** What the failure means, as the API's errors; only an answer no one documents is logged as unexpected. */
  private meaning(answer: TemporalAnswer, err: unknown): Error {
    const retry = '; retry later (the same Idempotency-Key is safe)';
    switch (answer.kind) {
      case 'refused':
        return new CommandRefusedError(answer.refusal, answer.message);
      case 'gone':
        return new WorkflowGoneError(answer.message);
      case 'again':
        return new TemporalUnavailableError(
          `${AGAIN[answer.reason]} and did not go through before the deadline${retry}`,
        );
      case 'unavailable':
        return new TemporalUnavailableError(`${UNAVAILABLE[answer.reason]}${retry}`);
      case 'misconfigured':
        this.logger.error({ err }, 'Temporal refused the service: check TEMPORAL_NAMESPACE and the credentials');
        return new TemporalUnavailableError(`the workflow engine refused this service's configuration${retry}`);
      case 'unknown':
        this.logger.error({ err }, 'unexpected answer from Temporal');
        return new TemporalUnavailableError(`Temporal gave an unexpected answer${retry}`);
    }
  }
}

const AGAIN: Record<Extract<TemporalAnswer, { kind: 'again' }>['reason'], string> = {
  'workflow-task-failed': "the recommendation's workflow task failed or timed out while it carried the command",
  'update-not-processed': "the recommendation's workflow did not process the command",
  'update-limit': "the recommendation's workflow run reached its limit of commands and is continuing as new",
};

const UNAVAILABLE: Record<Extract<TemporalAnswer, { kind: 'unavailable' }>['reason'], string> = {
  deadline: 'Temporal did not answer in time',
  unreachable: 'Temporal is unreachable',
  shedding: 'Temporal is shedding load',
  'busy-recommendation': 'this recommendation already has as many commands in flight as Temporal takes at once',
  'run-ended':
    "the recommendation's workflow run ended while the command was in progress (a retry with the same key says whether it was recorded)",
};
