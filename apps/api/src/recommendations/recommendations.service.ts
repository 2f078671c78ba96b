import { Injectable } from '@nestjs/common';
import {
  COMMAND_STAGES,
  NATION_CODES,
  instantMs,
  isIsoInstant,
  isTerminal,
  DEFAULT_POLICY,
  parsePolicy,
  PRIORITY_POLICY,
  replay,
  withText,
  type Actor,
  type Command,
  type CommandType,
  type RecommendationView,
} from '@app/domain';
import {
  LIST_LIMIT,
  ProjectionRebuildRepository,
  RecommendationsRepository,
  ReferenceRepository,
  TextsRepository,
  type ListQuery,
  type RebuildReport,
} from '@app/persistence';
import {
  CommandRefusedError,
  IdempotencyKeyReusedError,
  LifecycleClient,
  TemporalUnavailableError,
  WorkflowGoneError,
  type CommandOutcome,
} from '@app/temporal/client';
import { WorkingCalendarService } from '../calendar/working-calendar.service';
import { MetricsService } from '../metrics/metrics.service';
import { ProblemException } from '../problem/problem';
import type { ListRecommendationsQuery, RaiseRecommendationDto, ReviseDto } from './dto/recommendation.dto';

const STATUS_OF_REFUSAL: Record<CommandRefusedError['refusal'], number> = {
  stage: 409,
  forbidden: 403,
  invalid: 400,
  conflict: 409,
};

/** The use cases behind the recommendation routes: commands go to the workflow, reads to PostgreSQL. */
@Injectable()
export class RecommendationsService {
  constructor(
    private readonly lifecycle: LifecycleClient,
    private readonly queries: RecommendationsRepository,
    private readonly references: ReferenceRepository,
    private readonly texts: TextsRepository,
    private readonly rebuilder: ProjectionRebuildRepository,
    private readonly metrics: MetricsService,
    private readonly calendar: WorkingCalendarService,
  ) {}

  /** Counts a command by kind and outcome (dipb_commands_total), whatever it ends in. */
  private async counted<T>(kind: string, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      this.metrics.commands.inc({ kind, outcome: 'accepted' });
      return result;
    } catch (err) {
      this.metrics.commands.inc({
        kind,
        outcome: err instanceof ProblemException ? MetricsService.outcomeOf(err.getStatus()) : 'error',
      });
      throw err;
    }
  }

  raise(dto: RaiseRecommendationDto, actor: Actor, idempotencyKey?: string): Promise<RecommendationView> {
    return this.counted('raise', () => this.doRaise(dto, actor, idempotencyKey));
  }

  private async doRaise(
    dto: RaiseRecommendationDto,
    actor: Actor,
    idempotencyKey?: string,
  ): Promise<RecommendationView> {
    const policy = parsePolicy(dto.policy, dto.priority === true ? PRIORITY_POLICY : DEFAULT_POLICY);
    if (!policy.ok)
      throw new ProblemException(400, `invalid ${policy.errors.map((e) => e.field).join(', ')}`, {
        errors: policy.errors,
      });
    // The text first, under its hash: the workflow and its history only ever name it.
    const textHash = await this.texts.store({ title: dto.title, summary: dto.summary, body: dto.body });
    // The working calendar is pinned with the policy (only when the policy keeps it: a test's in seconds does not).
    const calendar =
      policy.policy.calendar || policy.policy.quietHours ? await this.calendar.snapshot(new Date()) : null;
    const { reference } = await this.temporal(null, null, () =>
      this.lifecycle.raise({
        idempotencyKey,
        fingerprint: dto,
        allocateReference: () => this.references.next(new Date().getUTCFullYear()),
        workingGroup: dto.workingGroup,
        input: (ref) => ({
          kind: 'start',
          reference: ref,
          raisedBy: { id: actor.id, role: 'secretariat', ...(actor.name ? { name: actor.name } : {}) },
          raise: {
            title: dto.title,
            textHash,
            workingGroup: dto.workingGroup,
            language: dto.language,
            nations: dto.nations ?? [...NATION_CODES],
            policy: policy.policy,
            rapporteur: dto.rapporteur ?? null,
            ...(calendar ? { calendar } : {}),
            ...(dto.priority === true ? { priority: true } : {}),
          },
        }),
      }),
    );
    return this.get(reference);
  }

  /** A new revision: the text (what is given, over the current one) is stored under its hash, then the command names it. */
  revise(reference: string, dto: ReviseDto, actor: Actor, idempotencyKey?: string): Promise<RecommendationView> {
    return this.counted('revise', async () => {
      if (dto.title === undefined && dto.summary === undefined && dto.body === undefined) {
        throw new ProblemException(400, 'a revision must change the title, the summary or the body', {
          errors: [{ field: 'title', message: 'give at least one of title, summary, body' }],
        });
      }
      const current = await this.texts.current(reference);
      if (!current) throw this.notFound(reference);
      const text = {
        title: dto.title ?? current.title,
        summary: dto.summary ?? current.summary,
        body: dto.body ?? current.body,
      };
      const textHash = await this.texts.store(text);
      const command: Command = {
        type: 'revise',
        title: text.title,
        textHash,
        baseTextHash: current.hash,
        note: dto.note,
      };
      return this.send(reference, command, actor, idempotencyKey, { type: 'revise', ...dto });
    });
  }

  command(reference: string, command: Command, actor: Actor, idempotencyKey?: string): Promise<RecommendationView> {
    return this.counted(command.type, () => this.send(reference, command, actor, idempotencyKey));
  }

  /** Gives the command; answers with the recommendation as PostgreSQL has it once the command is recorded there. */
  private async send(
    reference: string,
    command: Command,
    actor: Actor,
    idempotencyKey?: string,
    fingerprint?: unknown,
  ): Promise<RecommendationView> {
    await this.temporal(reference, command.type, (): Promise<CommandOutcome> =>
      this.lifecycle.command(reference, command, actor, {
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...(fingerprint ? { fingerprint } : {}),
      }),
    );
    return this.get(reference);
  }

  /** Sends a notification again; only one the outbox knows for this recommendation (else 404). */
  async resend(
    reference: string,
    identity: string,
    reason: string,
    actor: Actor,
    idempotencyKey?: string,
  ): Promise<RecommendationView> {
    const known = await this.queries.notifications(reference);
    if (known === null) throw this.notFound(reference);
    if (!known.some((n) => n.identity === identity)) {
      throw new ProblemException(
        404,
        `recommendation ${reference} has no notification ${identity} (GET /api/v1/recommendations/${reference}/notifications lists them)`,
      );
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
      if (!isIsoInstant(asOf))
        throw new ProblemException(400, 'asOf must be an ISO 8601 instant with a zone', {
          errors: [{ field: 'asOf', message: 'must be an ISO 8601 instant, e.g. 2026-12-04T11:00:00Z' }],
        });
      const events = await this.queries.events(reference);
      if (events === null) throw this.notFound(reference);
      const view = replay(events, instantMs(asOf));
      if (view === null) throw new ProblemException(404, `recommendation ${reference} did not exist at ${asOf}`);
      // The text of the revision current then (by hash, from `texts`).
      const text = await this.texts.ofRevision(reference, view.revision);
      if (!text)
        throw new ProblemException(404, `recommendation ${reference} has no revision ${view.revision} in the record`);
      return withText({ ...view, textHash: text.hash }, text);
    }
    return (await this.queries.get(reference)) ?? this.throwNotFound(reference);
  }

  list(query: ListRecommendationsQuery): ReturnType<RecommendationsRepository['list']> {
    let limit: number | undefined;
    if (query.limit !== undefined) {
      limit = /^\d{1,3}$/.test(query.limit) ? Number(query.limit) : NaN;
      // The one page-size limit: the read model's, as the document states it.
      if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT.max) {
        throw new ProblemException(400, 'invalid limit', {
          errors: [{ field: 'limit', message: `must be a whole number from 1 to ${LIST_LIMIT.max}` }],
        });
      }
    }
    const filter: ListQuery = {
      ...(query.stage ? { stage: query.stage } : {}),
      ...(query.workingGroup ? { workingGroup: query.workingGroup } : {}),
      ...(query.nation ? { nation: query.nation } : {}),
      ...(query.overdue ? { overdue: query.overdue === 'true' } : {}),
      ...(query.priority ? { priority: query.priority === 'true' } : {}),
      ...(query.q ? { q: query.q } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    };
    return this.queries.list(filter);
  }

  async revisions(
    reference: string,
  ): Promise<NonNullable<Awaited<ReturnType<RecommendationsRepository['revisions']>>>> {
    return (await this.queries.revisions(reference)) ?? this.throwNotFound(reference);
  }

  async revision(
    reference: string,
    number: number,
  ): Promise<NonNullable<Awaited<ReturnType<RecommendationsRepository['revision']>>>> {
    const found = await this.queries.revision(reference, number);
    if (found) return found;
    if (!(await this.queries.exists(reference))) this.throwNotFound(reference);
    throw new ProblemException(404, `recommendation ${reference} has no revision ${number}`);
  }

  async events(reference: string): Promise<NonNullable<Awaited<ReturnType<RecommendationsRepository['events']>>>> {
    return (await this.queries.events(reference)) ?? this.throwNotFound(reference);
  }

  async notifications(
    reference: string,
  ): Promise<NonNullable<Awaited<ReturnType<RecommendationsRepository['notifications']>>>> {
    return (await this.queries.notifications(reference)) ?? this.throwNotFound(reference);
  }

  private notFound(reference: string): ProblemException {
    return new ProblemException(404, `no recommendation ${reference}`);
  }

  private throwNotFound(reference: string): never {
    throw this.notFound(reference);
  }

  /** A call to the workflow, its failure turned into the problem the caller should see. */
  private async temporal<T>(reference: string | null, type: CommandType | null, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof CommandRefusedError) throw new ProblemException(STATUS_OF_REFUSAL[err.refusal], err.message);
      if (err instanceof IdempotencyKeyReusedError) throw new ProblemException(422, err.message);
      if (err instanceof TemporalUnavailableError)
        throw new ProblemException(503, err.message, { retryAfterSeconds: err.retryAfterSeconds });
      if (err instanceof WorkflowGoneError && reference !== null) {
        // A closed or withdrawn recommendation's workflow has completed: say so in the domain's words.
        const view = await this.queries.get(reference).catch(() => null);
        if (view && isTerminal(view.stage) && type) {
          throw new ProblemException(
            409,
            `recommendation ${reference} is ${view.stage}; ${type} can only be given in ${COMMAND_STAGES[type].join(' or ')}. Nothing more can be done to it`,
          );
        }
        throw this.notFound(reference);
      }
      throw err;
    }
  }
}
