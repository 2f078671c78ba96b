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
  type RecommendationView,
  type RecordedEvent,
  type WorkingGroup,
} from '@app/domain';
import type { ProjectionInput } from '../projection.service';

export const SECRETARIAT: Actor = { id: 'sec-1', name: 'Secretariat Officer', roles: ['secretariat'] };
export const director = (nation: NationCode): Actor => ({ id: `dir-${nation}`, roles: ['director'], nation });
export const wgMember = (nation: NationCode, wg: WorkingGroup): Actor => ({
  id: `wg-${nation}`,
  roles: ['wg-member'],
  nation,
  workingGroups: [wg],
});

/**
 * Drives a recommendation through the real domain rules, numbering events as the workflow does, so
 * the projection and the replay are tested on the events and views production would produce.
 */
export class ScriptedRecommendation {
  state: RecommendationState;
  readonly events: RecordedEvent[] = [];
  private projected = 0;

  constructor(
    reference: string,
    input: Omit<Partial<RaiseInput>, 'policy'> & { policy?: Partial<Policy> },
    at: string,
  ) {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      silenceReminders: [...DEFAULT_POLICY.silenceReminders],
      responseReminders: [...DEFAULT_POLICY.responseReminders],
      ...input.policy,
    };
    const raise: RaiseInput = {
      title: input.title ?? `Recommendation ${reference}`,
      summary: input.summary ?? 'Summary',
      body: input.body ?? 'Body',
      workingGroup: input.workingGroup ?? 'IC',
      language: input.language ?? 'en',
      nations: input.nations ?? ['FRA', 'DEU', 'ITA'],
      policy,
      rapporteur: input.rapporteur ?? null,
    };
    const by: ActorRef = { id: SECRETARIAT.id, name: SECRETARIAT.name, role: 'secretariat' };
    this.state = newRecommendation(reference, raise, by, at);
    this.record([{ type: 'raised', at, actor: by, revision: 1, data: { ...raise } }]);
  }

  get reference(): string {
    return this.state.reference;
  }

  command(actor: Actor, command: Command, at: string): this {
    const now = instantMs(at);
    const verdict = decide(this.state, actor, command, now);
    if (!verdict.ok) throw new Error(verdict.refusal.message);
    if (verdict.duplicate) return this;
    const step = apply(this.state, actor, command, now);
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

  view(at: string): RecommendationView {
    return toView(this.state, instantMs(at));
  }

  /** What the worker's activity would hand the projection now: the events since the last call, and the view. */
  projection(at: string): ProjectionInput {
    const events = this.events.slice(this.projected);
    this.projected = this.events.length;
    return { reference: this.reference, events, view: this.view(at) };
  }

  private record(events: DomainEvent[]): void {
    for (const e of events) this.events.push({ ...e, seq: this.events.length + 1, reference: this.reference });
  }
}
