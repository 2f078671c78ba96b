/**
 * Random lifecycles: random commands from random actors, random clock jumps, a worker that is
 * sometimes on time and sometimes down for a long while. Invariants that must hold whatever happens.
 */
import fc from 'fast-check';
import type { Actor } from './actor';
import type { NationCode, WorkingGroup } from './allies';
import { apply, decide, type Command } from './commands';
import type { DomainEvent } from './events';
import { fold } from './evolve';
import type { NotificationKind, NotificationRequest } from './notification';
import type { Policy } from './policy';
import { isTerminal, STAGES, type RecommendationState, type Stage } from './recommendation';
import { advance, isStillDue, nextDueAt, type Step } from './schedule';
import { actors, DAY, deepFreeze, inStage, policy, raised, REF, SEC, T0, textHash } from './testing/fixtures';
import { toIso } from './time';
import { toView } from './view';

/** The edges of the stage graph one step may take (a step may pass through a stage: approval → approved → submitted with autoSubmit). */
const NEXT: Record<Stage, Stage[]> = {
  drafting: ['wg-consensus', 'withdrawn'],
  'wg-consensus': ['drafting', 'senior-approval', 'withdrawn'],
  'senior-approval': ['drafting', 'approved', 'submitted', 'withdrawn'],
  approved: ['submitted', 'withdrawn'],
  submitted: ['follow-up', 'closed', 'withdrawn'],
  'follow-up': ['closed', 'withdrawn'],
  closed: [],
  withdrawn: [],
};

const CHASING: NotificationKind[] = [
  'response-reminder',
  'response-overdue',
  'progress-request',
  'progress-overdue',
  'escalation',
  'consensus-call',
  'consensus-reminder',
  'approval-call',
  'approval-reminder',
  'submission',
];

const POLICIES: { name: string; policy: Policy; scale: number }[] = [
  { name: 'defaults (days)', policy: policy(), scale: 120 * DAY },
  {
    name: 'seconds, auto-submit',
    policy: policy({
      consensusSilence: 'PT10S',
      approvalSilence: 'PT8S',
      silenceReminders: ['PT3S', 'PT1S'],
      responseDue: 'PT60S',
      responseReminders: ['PT30S', 'PT5S'],
      overdueEvery: 'PT10S',
      escalateAfter: 2,
      followUpEvery: 'PT40S',
      followUpReminder: 'PT10S',
      autoSubmit: true,
    }),
    scale: 120 * SEC,
  },
  {
    name: 'no reminders, escalate at once',
    policy: policy({
      silenceReminders: [],
      responseReminders: [],
      escalateAfter: 0,
      responseDue: 'P10D',
      followUpEvery: 'P20D',
      followUpReminder: 'P1D',
    }),
    scale: 30 * DAY,
  },
];

const POOL: NationCode[] = ['FRA', 'DEU', 'ITA', 'POL', 'GBR'];
const nation = fc.constantFrom<NationCode>(...POOL, 'USA');
const comment = fc.constantFrom('', '  ', 'a reason', 'another');

/** Stands for the hash of the text current when the revision is given. */
const CURRENT = 'current';

/** A command, possibly with a deadline relative to the clock at which it is given. */
type CommandSpec = { command: Command; deadlineIn?: number };

const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>): fc.WeightedArbitrary<T> => ({ weight, arbitrary });
const position = fc.constantFrom('concur', 'concur', 'abstain', 'object' as const);

// Weighted so that random runs often get all the way to follow-up and closure.
const commandSpec: fc.Arbitrary<CommandSpec> = fc.oneof(
  w(
    1,
    fc
      .record({
        title: fc.constantFrom('Secure the supply of 155 mm shells', 'T2'),
        label: fc.constantFrom('raised', 'B2', 'B3'),
        // Mostly made from the current text; sometimes from a text another revision replaced meanwhile.
        base: fc.constantFrom('current', 'current', 'current', 'raised'),
      })
      .map(({ title, label, base }): CommandSpec => ({
        command: {
          type: 'revise',
          note: 'n',
          title,
          textHash: textHash(label),
          baseTextHash: base === 'current' ? CURRENT : textHash(base),
        },
      })),
  ),
  w(
    3,
    fc.oneof(
      fc.constant<CommandSpec>({ command: { type: 'call-consensus' } }),
      fc
        .constantFrom('PT2S', 'PT30S', 'P1D', 'PT0S', 'P1M', 'P9999D')
        .map((silence): CommandSpec => ({ command: { type: 'call-consensus', silence } })),
      fc
        .integer({ min: -DAY, max: 30 * DAY })
        .map((deadlineIn): CommandSpec => ({ command: { type: 'call-consensus' }, deadlineIn })),
    ),
  ),
  w(
    2,
    fc
      .record({ position, comment })
      .map(({ position, comment }): CommandSpec => ({ command: { type: 'consensus-position', position, comment } })),
  ),
  w(
    2,
    fc
      .record({ position, comment })
      .map(({ position, comment }): CommandSpec => ({ command: { type: 'approval-position', position, comment } })),
  ),
  w(3, fc.constant<CommandSpec>({ command: { type: 'submit' } })),
  w(
    6,
    fc
      .record({
        nation,
        decision: fc.constantFrom('accepted', 'accepted-in-part', 'not-accepted', 'under-consideration' as const),
        comment,
        plannedCompletion: fc.option(fc.constantFrom('2030-01-01T00:00:00Z', '2030-01-01'), { nil: undefined }),
      })
      .map(({ plannedCompletion, ...r }): CommandSpec => ({
        command: { type: 'respond', ...r, ...(plannedCompletion === undefined ? {} : { plannedCompletion }) },
      })),
  ),
  w(
    6,
    fc
      .record({
        nation,
        status: fc.constantFrom('in-progress', 'implemented', 'not-implemented' as const),
        comment,
        percent: fc.option(fc.constantFrom(-1, 0, 50, 100, 101), { nil: undefined }),
      })
      .map(({ percent, ...r }): CommandSpec => ({
        command: { type: 'report-progress', ...r, ...(percent === undefined ? {} : { percent }) },
      })),
  ),
  // Mostly refused for want of a reason, so that runs get past the middle of the lifecycle.
  w(
    1,
    fc.constantFrom('', '', 'r').map((reason): CommandSpec => ({ command: { type: 'withdraw', reason } })),
  ),
  w(
    1,
    fc.constantFrom('', 'r').map((reason): CommandSpec => ({ command: { type: 'close', reason } })),
  ),
);

const someActor: fc.Arbitrary<Actor> = fc.oneof(
  fc.constant(actors.secretariat()),
  nation.map(actors.director),
  fc.tuple(nation, fc.subarray<WorkingGroup>(['IC', 'SCS', 'SI'])).map(([n, wgs]) => actors.wgMember(n, wgs)),
  nation.map(actors.seniorRep),
  fc.constant(actors.observer()),
  nation.map((n): Actor => ({ id: 'dual', roles: ['director', 'secretariat'], nation: n })),
  fc.constant<Actor>({ id: 'nobody', roles: [] }),
);

/**
 * The actor who would normally give the command, speaking for one of the target nations, so that
 * random runs get far (the other runs use anyone at all, for any nation).
 */
function rightActor(command: Command, state: RecommendationState, pick: number): { actor: Actor; command: Command } {
  const n = state.nations[pick % state.nations.length] as NationCode;
  switch (command.type) {
    case 'consensus-position':
      return { actor: actors.wgMember(n), command };
    case 'approval-position':
      return { actor: actors.seniorRep(n), command };
    case 'respond':
    case 'report-progress':
      return { actor: actors.director(n), command: { ...command, nation: n } };
    case 'revise':
    case 'call-consensus':
    case 'submit':
    case 'withdraw':
    case 'close':
    case 'move-deadline':
    case 'resend-notification':
      return { actor: actors.secretariat(), command };
  }
}

type Op =
  | { op: 'command'; spec: CommandSpec; actor: Actor | 'right'; pick: number }
  | { op: 'clock'; fraction: number; timely: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('command' as const),
      spec: commandSpec,
      actor: fc.oneof({ weight: 3, arbitrary: fc.constant('right' as const) }, { weight: 1, arbitrary: someActor }),
      pick: fc.nat(31),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('clock' as const),
      fraction: fc.oneof(
        w(3, fc.double({ min: 0, max: 0.25, noNaN: true })),
        w(1, fc.double({ min: 0, max: 1, noNaN: true })),
        w(1, fc.constantFrom(0, 1e-6, 0.02, 0.05, 0.1, 2, 10)),
      ),
      timely: fc.boolean(),
    }),
  },
);

const scenario = fc.record({
  // Half the runs start from raising; the others from a stage reached by the fixtures' straight path.
  start: fc.oneof(fc.constant<Stage>('drafting'), fc.constantFrom(...STAGES)),
  policyIndex: fc.integer({ min: 0, max: POLICIES.length - 1 }),
  nations: fc.subarray(POOL, { minLength: 1 }),
  ops: fc.array(op, { maxLength: 120, size: 'medium' }),
});

const seen = new Set<Stage>();
const kindsSeen = new Set<NotificationKind>();

function snapshot(state: RecommendationState): string {
  return JSON.stringify(state);
}

function check(prev: RecommendationState, step: Step, label: string): void {
  const from = prev.stage;
  const to = step.state.stage;
  if (from !== to) {
    if (!NEXT[from].includes(to)) throw new Error(`${label}: ${from} → ${to} is not an edge of the lifecycle`);
    if (from === 'senior-approval' && to === 'submitted' && !prev.policy.autoSubmit)
      throw new Error(`${label}: submitted without autoSubmit`);
  }
  if (isTerminal(from) && (step.notifications.length > 0 || step.events.length > 0))
    throw new Error(`${label}: a ${from} recommendation produced something`);
  if (isTerminal(to)) {
    const late = step.notifications.filter((n) => CHASING.includes(n.kind));
    if (late.length > 0)
      throw new Error(`${label}: reminder on a ${to} recommendation: ${late.map((n) => n.identity).join(', ')}`);
  }
}

describe('random lifecycles', () => {
  it('keep every invariant', () => {
    fc.assert(
      fc.property(scenario, ({ start: first, policyIndex, nations, ops }) => {
        let start = first;
        const { policy: p, scale } = POLICIES[policyIndex] as (typeof POLICIES)[number];
        if (start === 'approved' && p.autoSubmit) start = 'senior-approval'; // nothing rests in approved then
        const staged =
          start === 'drafting'
            ? { state: deepFreeze(raised({ policy: p, nations })), now: T0 }
            : inStage(start, { policy: p, nations });
        let state = staged.state;
        let now = staged.now;
        const identities = new Set<string>();
        const all: NotificationRequest[] = [];
        // From a raise, the trail is kept whole, to fold it at the end.
        const trail: DomainEvent[] | null =
          start === 'drafting'
            ? [
                {
                  type: 'raised',
                  at: state.createdAt,
                  actor: { id: 'sec-1', role: 'secretariat' },
                  revision: 1,
                  data: {
                    title: state.title,
                    textHash: state.textHash,
                    workingGroup: state.workingGroup,
                    language: state.language,
                    nations: state.nations,
                    policy: state.policy,
                    rapporteur: state.rapporteur,
                  },
                },
              ]
            : null;
        const record = (prev: RecommendationState, step: Step, label: string): void => {
          check(prev, step, label);
          trail?.push(...step.events);
          for (const n of step.notifications) {
            if (identities.has(n.identity)) throw new Error(`${label}: notification ${n.identity} produced twice`);
            identities.add(n.identity);
            kindsSeen.add(n.kind);
          }
          all.push(...step.notifications);
          state = deepFreeze(step.state);
          seen.add(state.stage);
        };
        const tick = (at: number, label: string): void => {
          const due = nextDueAt(state);
          const before = snapshot(state);
          const step = advance(state, at);
          expect(snapshot(state)).toBe(before); // advance never mutates its input
          if (due === null || due > at) {
            // Nothing due: nothing happens.
            expect(step.events).toEqual([]);
            expect(step.notifications).toEqual([]);
            expect(step.state.stage).toBe(state.stage);
          } else {
            // Something was due: advance made progress (else the workflow's timer would spin).
            expect(snapshot(step.state)).not.toBe(before);
          }
          record(state, step, label);
          const next = nextDueAt(state);
          if (next !== null && next <= at)
            throw new Error(`${label}: after advance(${toIso(at)}) something is still due at ${toIso(next)}`);
        };

        seen.add(state.stage);
        ops.forEach((o, i) => {
          if (o.op === 'clock') {
            const target = now + Math.round(o.fraction * scale);
            if (o.timely) {
              // A worker on time: wakes at each due instant in turn.
              for (let guard = 0; ; guard++) {
                if (guard > 500) throw new Error('the timer never settles');
                const due = nextDueAt(state);
                if (due === null || due > target) break;
                tick(Math.max(due, now), `op ${i} (timely tick)`);
              }
            } else {
              tick(target, `op ${i} (late tick)`); // a worker that was down: one catch-up
            }
            now = Math.max(now, target);
            return;
          }
          const spec = o.spec.command;
          const given: Command =
            o.spec.deadlineIn !== undefined && spec.type === 'call-consensus'
              ? { type: 'call-consensus', deadline: toIso(now + o.spec.deadlineIn) }
              : spec.type === 'revise' && spec.baseTextHash === CURRENT
                ? { ...spec, baseTextHash: state.textHash ?? '' }
                : spec;
          const { actor, command } =
            o.actor === 'right' ? rightActor(given, state, o.pick) : { actor: o.actor, command: given };
          const before = snapshot(state);
          const verdict = decide(state, actor, command, now);
          expect(snapshot(state)).toBe(before);
          if (!verdict.ok || verdict.duplicate) {
            // Refused or already recorded: the workflow records nothing and the state stays as it was.
            if (!verdict.ok && isTerminal(state.stage))
              expect(verdict.refusal.kind === 'stage' || verdict.refusal.kind === 'forbidden').toBe(true);
            return;
          }
          if (isTerminal(state.stage))
            throw new Error(`op ${i}: ${command.type} allowed on a ${state.stage} recommendation`);
          record(state, apply(state, actor, command, now), `op ${i} (${command.type} by ${actor.id})`);
          now += 1;
        });

        // One transition function: the trail folds into exactly the state the commands and the clock built.
        if (trail) expect(fold(REF, trail)).toEqual(state);

        // Queries never throw; once withdrawn or closed, nothing chasing anyone is still owed.
        toView(state, now);
        if (isTerminal(state.stage)) {
          for (const n of all) if (CHASING.includes(n.kind)) expect(isStillDue(state, n)).toBe(false);
          expect(nextDueAt(state)).toBeNull();
          tick(now + 10 * scale, 'after the end');
        }
      }),
      { numRuns: 300, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
  });

  it('reached every stage and sent every kind of chase (the runs are not vacuous)', () => {
    expect([...seen].sort()).toEqual([...STAGES].sort());
    for (const kind of [
      'consensus-reminder',
      'approval-reminder',
      'response-reminder',
      'response-overdue',
      'progress-request',
      'progress-overdue',
      'escalation',
      'objection',
      'submission',
    ] as const) {
      expect(kindsSeen).toContain(kind);
    }
  });
});
