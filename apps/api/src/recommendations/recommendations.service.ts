import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import {
  isGrpcServiceError,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { status } from '@grpc/grpc-js';
import { createHash, randomUUID } from 'node:crypto';
import {
  COMMAND_STAGES,
  NATION_CODES,
  instantMs,
  isIsoInstant,
  isTerminal,
  parsePolicy,
  replay,
  type Actor,
  type Command,
  type RecommendationView,
} from '@app/domain';
import {
  IdempotencyService,
  LIST_LIMIT,
  ProjectionRebuildService,
  RecommendationsQueries,
  ReferenceService,
  type ListQuery,
  type RebuildReport,
} from '@app/persistence';
import { REFUSAL_TYPES, SA, syncUpdate, updates, WORKFLOW_TYPE, type LifecycleInput } from '@app/temporal';
import { TemporalClientProvider } from '@app/temporal/client';
import { MetricsService } from '../metrics/metrics.service';
import { ProblemException } from '../problem/problem';
import type { ListRecommendationsQuery, RaiseRecommendationDto } from './dto/recommendation.dto';

const STATUS_OF_REFUSAL: Record<string, number> = {
  [REFUSAL_TYPES.stage]: 409,
  [REFUSAL_TYPES.forbidden]: 403,
  [REFUSAL_TYPES.invalid]: 400,
  [REFUSAL_TYPES.conflict]: 409,
};

/** Temporal not answering, or shedding load: the caller retries later. */
const UNAVAILABLE_CODES = new Set<number>([status.DEADLINE_EXCEEDED, status.UNAVAILABLE, status.RESOURCE_EXHAUSTED]);

function requestHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** The use cases behind the recommendation routes: commands go to the workflow, reads to PostgreSQL. */
@Injectable()
export class RecommendationsService {
  constructor(
    private readonly temporal: TemporalClientProvider,
    private readonly queries: RecommendationsQueries,
    private readonly references: ReferenceService,
    private readonly idempotency: IdempotencyService,
    private readonly rebuilder: ProjectionRebuildService,
    private readonly metrics: MetricsService,
  ) {}

  /** Counts a command by kind and outcome (dipb_commands_total), whatever it ends in. */
  private async counted<T>(kind: string, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      this.metrics.commands.inc({ kind, outcome: 'accepted' });
      return result;
    } catch (err) {
      this.metrics.commands.inc({ kind, outcome: err instanceof ProblemException ? MetricsService.outcomeOf(err.getStatus()) : 'error' });
      throw err;
    }
  }

  raise(dto: RaiseRecommendationDto, actor: Actor, idempotencyKey?: string): Promise<RecommendationView> {
    return this.counted('raise', () => this.doRaise(dto, actor, idempotencyKey));
  }

  private async doRaise(dto: RaiseRecommendationDto, actor: Actor, idempotencyKey?: string): Promise<RecommendationView> {
    const policy = parsePolicy(dto.policy);
    if (!policy.ok) throw new ProblemException(400, `invalid ${policy.errors.map((e) => e.field).join(', ')}`, { errors: policy.errors });
    const hash = requestHash(dto);
    let reference: string | null = null;
    if (idempotencyKey) {
      const seen = await this.idempotency.find('raise', idempotencyKey);
      if (seen && seen.requestHash !== hash) throw new ProblemException(422, `Idempotency-Key ${idempotencyKey} was used for a different recommendation`);
      reference = seen?.reference ?? null;
    }
    if (reference === null) {
      reference = await this.references.next(new Date().getUTCFullYear());
      if (idempotencyKey) {
        const kept = await this.idempotency.remember('raise', idempotencyKey, hash, reference);
        if (kept.record.requestHash !== hash) throw new ProblemException(422, `Idempotency-Key ${idempotencyKey} was used for a different recommendation`);
        reference = kept.record.reference;
      }
    }
    const input: LifecycleInput = {
      kind: 'raise',
      reference,
      raisedBy: { id: actor.id, role: 'secretariat', ...(actor.name ? { name: actor.name } : {}) },
      raise: {
        title: dto.title,
        summary: dto.summary,
        body: dto.body,
        workingGroup: dto.workingGroup,
        language: dto.language,
        nations: dto.nations ?? [...NATION_CODES],
        policy: policy.policy,
        rapporteur: dto.rapporteur ?? null,
      },
    };
    const client = await this.connect();
    const start = new WithStartWorkflowOperation(WORKFLOW_TYPE, {
      workflowId: reference,
      taskQueue: this.temporal.taskQueue,
      args: [input],
      // A retried raise with the same key reaches the same workflow instead of failing or starting another.
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `${reference} — ${dto.title}`.slice(0, 400),
      typedSearchAttributes: [
        { key: SA.reference, value: reference },
        { key: SA.stage, value: 'drafting' },
        { key: SA.workingGroup, value: dto.workingGroup },
      ],
    });
    try {
      return await client.workflow.executeUpdateWithStart(syncUpdate, { startWorkflowOperation: start, updateId: `raise:${reference}` });
    } catch (err) {
      throw await this.problemFromTemporal(err, reference, null);
    }
  }

  command(reference: string, command: Command, actor: Actor, idempotencyKey?: string): Promise<RecommendationView> {
    return this.counted(command.type, () => this.doCommand(reference, command, actor, idempotencyKey));
  }

  private async doCommand(reference: string, command: Command, actor: Actor, idempotencyKey?: string): Promise<RecommendationView> {
    let updateId: string = randomUUID();
    if (idempotencyKey) {
      const scope = `${reference}:${command.type}`;
      const kept = await this.idempotency.remember(scope, idempotencyKey, requestHash({ command, actor: actor.id }), reference);
      if (kept.record.requestHash !== requestHash({ command, actor: actor.id })) {
        throw new ProblemException(422, `Idempotency-Key ${idempotencyKey} was used for a different ${command.type} on ${reference}`);
      }
      updateId = `${command.type}:${idempotencyKey}`;
    }
    const client = await this.connect();
    try {
      return await client.workflow.getHandle(reference).executeUpdate(updates[command.type], { args: [{ actor, command }], updateId });
    } catch (err) {
      throw await this.problemFromTemporal(err, reference, command);
    }
  }

  /** Sends a notification again; only one the outbox knows for this recommendation (else 404). */
  async resend(reference: string, identity: string, reason: string, actor: Actor, idempotencyKey?: string): Promise<RecommendationView> {
    const known = await this.queries.notifications(reference);
    if (known === null) throw this.notFound(reference);
    if (!known.some((n) => n.identity === identity)) {
      throw new ProblemException(404, `recommendation ${reference} has no notification ${identity} (GET /api/v1/recommendations/${reference}/notifications lists them)`);
    }
    return this.command(reference, { type: 'resend-notification', identity, reason }, actor, idempotencyKey);
  }

  async rebuildProjection(reference: string | undefined, write: boolean): Promise<RebuildReport> {
    const report = await this.rebuilder.rebuild({ ...(reference ? { reference } : {}), write });
    if (reference && report.checked.length === 0) throw this.notFound(reference);
    return report;
  }

  async get(reference: string, asOf?: string): Promise<RecommendationView> {
    if (asOf !== undefined) {
      if (!isIsoInstant(asOf)) throw new ProblemException(400, 'asOf must be an ISO 8601 instant with a zone', { errors: [{ field: 'asOf', message: 'must be an ISO 8601 instant, e.g. 2026-12-04T11:00:00Z' }] });
      const events = await this.queries.events(reference);
      if (events === null) throw this.notFound(reference);
      const view = replay(events, instantMs(asOf));
      if (view === null) throw new ProblemException(404, `recommendation ${reference} did not exist at ${asOf}`);
      return view;
    }
    return (await this.queries.get(reference)) ?? this.throwNotFound(reference);
  }

  list(query: ListRecommendationsQuery): ReturnType<RecommendationsQueries['list']> {
    let limit: number | undefined;
    if (query.limit !== undefined) {
      limit = /^\d{1,3}$/.test(query.limit) ? Number(query.limit) : NaN;
      // The one page-size limit: the read model's, as the document states it.
      if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT.max) {
        throw new ProblemException(400, 'invalid limit', { errors: [{ field: 'limit', message: `must be a whole number from 1 to ${LIST_LIMIT.max}` }] });
      }
    }
    const filter: ListQuery = {
      ...(query.stage ? { stage: query.stage } : {}),
      ...(query.workingGroup ? { workingGroup: query.workingGroup } : {}),
      ...(query.nation ? { nation: query.nation } : {}),
      ...(query.overdue ? { overdue: query.overdue === 'true' } : {}),
      ...(query.q ? { q: query.q } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    };
    return this.queries.list(filter);
  }

  async revisions(reference: string): Promise<NonNullable<Awaited<ReturnType<RecommendationsQueries['revisions']>>>> {
    return (await this.queries.revisions(reference)) ?? this.throwNotFound(reference);
  }

  async revision(reference: string, number: number): Promise<NonNullable<Awaited<ReturnType<RecommendationsQueries['revision']>>>> {
    const found = await this.queries.revision(reference, number);
    if (found) return found;
    if (!(await this.queries.exists(reference))) this.throwNotFound(reference);
    throw new ProblemException(404, `recommendation ${reference} has no revision ${number}`);
  }

  async events(reference: string): Promise<NonNullable<Awaited<ReturnType<RecommendationsQueries['events']>>>> {
    return (await this.queries.events(reference)) ?? this.throwNotFound(reference);
  }

  async notifications(reference: string): Promise<NonNullable<Awaited<ReturnType<RecommendationsQueries['notifications']>>>> {
    return (await this.queries.notifications(reference)) ?? this.throwNotFound(reference);
  }

  private notFound(reference: string): ProblemException {
    return new ProblemException(404, `no recommendation ${reference}`);
  }

  private throwNotFound(reference: string): never {
    throw this.notFound(reference);
  }

  private async connect(): ReturnType<TemporalClientProvider['get']> {
    try {
      return await this.temporal.get();
    } catch {
      throw new ProblemException(503, 'Temporal is unreachable; retry later', { retryAfterSeconds: 5 });
    }
  }

  /** Turns what Temporal answered into the problem the caller should see. */
  private async problemFromTemporal(err: unknown, reference: string, command: Command | null): Promise<ProblemException> {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const status = STATUS_OF_REFUSAL[err.cause.type ?? ''];
      if (status) return new ProblemException(status, err.cause.message);
    }
    if (err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === status.NOT_FOUND)) {
      // A closed or withdrawn recommendation's workflow has completed: say so in the domain's words.
      const view = await this.queries.get(reference).catch(() => null);
      if (view && isTerminal(view.stage) && command) {
        return new ProblemException(
          409,
          `recommendation ${reference} is ${view.stage}; ${command.type} can only be given in ${COMMAND_STAGES[command.type].join(' or ')}. Nothing more can be done to it`,
        );
      }
      return this.notFound(reference);
    }
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (isGrpcServiceError(err) && UNAVAILABLE_CODES.has(err.code))) {
      return new ProblemException(503, 'Temporal did not answer in time; retry later (the same Idempotency-Key is safe)', { retryAfterSeconds: 5 });
    }
    throw err;
  }
}
