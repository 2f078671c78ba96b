import {
  advance,
  apply,
  decide,
  DEFAULT_POLICY,
  instantMs,
  newRecommendation,
  toView,
  type Actor,
  type ActorRef,
  type Command,
  type DomainEvent,
  type NationCode,
  type Policy,
  type RaiseInput,
  type RecommendationState,
  type RecommendationText,
  type RecordedEvent,
  type StateView,
  type WorkingGroup,
} from '@app/domain';
import type { DataSource } from 'typeorm';
import { ProjectionRepository, type PersistInput, type ProjectionResult } from '../repositories/projection.repository';
import { hashText, TextsRepository } from '../repositories/texts.repository';

export const SECRETARIAT: Actor = { id: 'sec-1', name: 'Secretariat Officer', roles: ['secretariat'] };
export const director = (nation: NationCode): Actor => ({ id: `dir-${nation}`, roles: ['director'], nation });
export const wgMember = (nation: NationCode, wg: WorkingGroup): Actor => ({
  id: `wg-${nation}`,
  roles: ['wg-member'],
  nation,
  workingGroups: [wg],
});

/** What the API would have stored and the workflow handed the projection since the last call. */
export interface ScriptedProjection extends PersistInput {
  texts: RecommendationText[];
}

/**
 * Drives a recommendation through the real domain rules, numbering events as the workflow does, so
 * the projection and the replay are tested on the events production would produce. Texts are kept
 * aside, as the API stores them before the command that names them.
 */
export class ScriptedRecommendation {
  state: RecommendationState;
  readonly events: RecordedEvent[] = [];
  readonly texts: RecommendationText[] = [];
  private projected = 0;
  private textsProjected = 0;

  constructor(
    reference: string,
    input: Omit<Partial<RaiseInput>, 'policy' | 'textHash'> & {
      policy?: Partial<Policy>;
      summary?: string;
      body?: string;
    },
    at: string,
  ) {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      silenceReminders: [...DEFAULT_POLICY.silenceReminders],
      responseReminders: [...DEFAULT_POLICY.responseReminders],
      ...input.policy,
    };
    const text = {
      title: input.title ?? `Recommendation ${reference}`,
      summary: input.summary ?? 'Summary',
      body: input.body ?? 'Body',
    };
    this.texts.push(text);
    const raise: RaiseInput = {
      title: text.title,
      textHash: hashText(text),
      workingGroup: input.workingGroup ?? 'IC',
      language: input.language ?? 'en',
      nations: input.nations ?? ['FRA', 'DEU', 'ITA'],
      policy,
      rapporteur: input.rapporteur ?? null,
      ...(input.priority === true ? { priority: true } : {}),
    };
    const by: ActorRef = { id: SECRETARIAT.id, name: SECRETARIAT.name, role: 'secretariat' };
    this.state = newRecommendation(reference, raise, by, at);
    this.record([{ type: 'raised', at, actor: by, revision: 1, data: { ...raise } }]);
  }

  get reference(): string {
    return this.state.reference;
  }

  /** A new revision of the text, by the secretariat. */
  revise(change: Partial<RecommendationText>, note: string, at: string): this {
    const current = this.texts.find((t) => hashText(t) === this.state.textHash) as RecommendationText;
    const text = { ...current, ...change };
    this.texts.push(text);
    return this.command(
      SECRETARIAT,
      { type: 'revise', title: text.title, textHash: hashText(text), baseTextHash: this.state.textHash, note },
      at,
    );
  }

  /** The current revision's text. */
  get text(): RecommendationText {
    return this.texts.find((t) => hashText(t) === this.state.textHash) as RecommendationText;
  }

  /** A command, its events carrying `commandId` when given (as the workflow's do for an update id). */
  command(actor: Actor, command: Command, at: string, commandId?: string): this {
    const now = instantMs(at);
    const verdict = decide(this.state, actor, command, now);
    if (!verdict.ok) throw new Error(verdict.refusal.message);
    if (verdict.duplicate) return this;
    const step = apply(this.state, actor, command, now, commandId);
    this.state = step.state;
    this.record(step.events);
    return this;
  }

  /** Lets time pass to `at`, as the workflow's timer would. */
  advance(at: string): this {
    const step = advance(this.state, instantMs(at));
    this.state = step.state;
    this.record(step.events);
    return this;
  }

  view(at: string): StateView {
    return toView(this.state, instantMs(at));
  }

  /** What the worker's activity would hand the projection now: the events since the last call (and the texts the API stored). */
  projection(_at?: string): ScriptedProjection {
    const events = this.events.slice(this.projected);
    this.projected = this.events.length;
    const texts = this.texts.slice(this.textsProjected);
    this.textsProjected = this.texts.length;
    return { reference: this.reference, events, texts };
  }

  private record(events: DomainEvent[]): void {
    for (const e of events) this.events.push({ ...e, seq: this.events.length + 1, reference: this.reference });
  }
}

/** The projection as the tests drive it: the texts stored first (as the API does), then the events persisted. */
export class ScriptProjector {
  private readonly projection: ProjectionRepository;
  private readonly texts: TextsRepository;

  constructor(dataSource: DataSource) {
    this.projection = new ProjectionRepository(dataSource);
    this.texts = new TextsRepository(dataSource);
  }

  async apply(input: ScriptedProjection): Promise<ProjectionResult> {
    for (const text of input.texts) await this.texts.store(text);
    return this.projection.persist({ reference: input.reference, events: input.events });
  }
}
