/**
 * Builders for the domain's unit tests: actors, policies, and a recommendation brought into each
 * stage by the domain's own commands and clock (never by hand), so a fixture is always a state the
 * workflow could really hold.
 */
import type { Actor } from '../actor';
import type { NationCode, WorkingGroup } from '../allies';
import type { WorkingCalendar } from '../calendar';
import { apply, decide, type Command } from '../commands';
import { parsePolicy, type Policy, type PolicyInput } from '../policy';
import { newRecommendation, type RecommendationState, type Stage } from '../recommendation';
import { advance, type Step } from '../schedule';
import { instantMs } from '../time';

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** The clock every fixture starts from. */
export const T0 = instantMs('2026-03-02T09:00:00Z');
export const REF = 'DIPB-2026-0007';
export const NATIONS: NationCode[] = ['FRA', 'DEU', 'ITA', 'POL'];
export const WG: WorkingGroup = 'SCS';

export const actors = {
  secretariat: (id = 'sec-1'): Actor => ({ id, name: 'Secretariat officer', roles: ['secretariat'] }),
  director: (nation: NationCode): Actor => ({ id: `nad-${nation}`, roles: ['director'], nation }),
  wgMember: (nation: NationCode, workingGroups: WorkingGroup[] = [WG]): Actor => ({
    id: `wg-${nation}`,
    roles: ['wg-member'],
    nation,
    workingGroups,
  }),
  seniorRep: (nation: NationCode): Actor => ({ id: `snr-${nation}`, roles: ['senior-rep'], nation }),
  observer: (): Actor => ({ id: 'obs-1', roles: ['observer'] }),
};

export function policy(overrides: PolicyInput = {}): Policy {
  const result = parsePolicy(overrides);
  if (!result.ok) throw new Error(`bad test policy: ${JSON.stringify(result.errors)}`);
  return result.policy;
}

export interface RaiseOptions {
  nations?: NationCode[];
  policy?: Policy;
  workingGroup?: WorkingGroup;
  now?: number;
  reference?: string;
  calendar?: WorkingCalendar;
}

export function raised(options: RaiseOptions = {}): RecommendationState {
  return newRecommendation(
    options.reference ?? REF,
    {
      title: 'Secure the supply of 155 mm shells',
      textHash: textHash('raised'),
      workingGroup: options.workingGroup ?? WG,
      language: 'en',
      nations: options.nations ?? NATIONS,
      policy: options.policy ?? policy(),
      rapporteur: 'rapporteur@example.org',
      ...(options.calendar ? { calendar: options.calendar } : {}),
    },
    { id: 'sec-1', role: 'secretariat' },
    new Date(options.now ?? T0).toISOString(),
  );
}

/** A stand-in for the sha256 of a text (the domain only compares hashes; PostgreSQL computes real ones). */
export function textHash(label: string): string {
  const hex = Array.from(label, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return hex.padEnd(64, '0').slice(0, 64);
}

/** A revision of the current text to a new one named `label` (the title stays unless given). */
export function revise(
  state: RecommendationState,
  label: string,
  note = 'revised',
  title = state.title,
): Extract<Command, { type: 'revise' }> {
  return { type: 'revise', title, textHash: textHash(label), baseTextHash: state.textHash, note };
}

/** decide, then apply; a refusal fails the test that expected the command to pass. */
export function run(state: RecommendationState, actor: Actor, command: Command, now: number): Step {
  const verdict = decide(state, actor, command, now);
  if (!verdict.ok) throw new Error(`refused (${verdict.refusal.kind}): ${verdict.refusal.message}`);
  if (verdict.duplicate) throw new Error(`unexpected duplicate: ${JSON.stringify(command)}`);
  return apply(state, actor, command, now);
}

/** Freezes a state all the way down, so a function that mutates its input throws in a test. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

export interface Staged {
  state: RecommendationState;
  /** A moment at which the state stands and nothing is due yet. */
  now: number;
}

/**
 * A recommendation in `stage`, reached through the real commands and clock. In `submitted` and
 * `follow-up`, the first nation (FRA by default) has accepted, so it can report progress, and the others
 * have not answered. With a single nation, that acceptance already moves it to follow-up.
 */
export function inStage(stage: Stage, options: RaiseOptions = {}): Staged {
  const sec = actors.secretariat();
  let now = (options.now ?? T0) + HOUR;
  let state = raised(options);
  if (stage === 'drafting') return { state: deepFreeze(state), now };

  state = run(state, sec, { type: 'call-consensus' }, now).state;
  now += HOUR;
  if (stage === 'wg-consensus') return { state: deepFreeze(state), now };
  if (stage === 'withdrawn') {
    state = run(state, sec, { type: 'withdraw', reason: 'superseded' }, now).state;
    return { state: deepFreeze(state), now: now + HOUR };
  }

  now = instantMs((state.consensus as NonNullable<RecommendationState['consensus']>).deadline);
  state = advance(state, now).state;
  now += HOUR;
  if (stage === 'senior-approval') return { state: deepFreeze(state), now };

  now = instantMs((state.approval as NonNullable<RecommendationState['approval']>).deadline);
  state = advance(state, now).state;
  now += HOUR;
  if (stage === 'approved') {
    if (state.stage !== 'approved')
      throw new Error('with autoSubmit, approval submits at once: no state rests in approved');
    return { state: deepFreeze(state), now };
  }

  if (state.stage === 'approved') state = run(state, sec, { type: 'submit' }, now).state;
  now += DAY;
  const first = state.nations[0] as NationCode;
  state = run(
    state,
    actors.director(first),
    { type: 'respond', nation: first, decision: 'accepted', comment: 'We accept.' },
    now,
  ).state;
  now += DAY;
  if (stage === 'submitted') return { state: deepFreeze(state), now };

  now = instantMs((state.submission as NonNullable<RecommendationState['submission']>).responseDue);
  state = advance(state, now).state;
  now += HOUR;
  if (stage === 'follow-up') return { state: deepFreeze(state), now };

  state = run(state, sec, { type: 'close', reason: 'superseded by DIPB-2026-0042' }, now).state;
  return { state: deepFreeze(state), now: now + HOUR };
}
