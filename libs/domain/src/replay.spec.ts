import type { Actor, ActorRef } from './actor';
import type { NationCode } from './allies';
import { apply, decide, type Command } from './commands';
import type { DomainEvent, RecordedEvent } from './events';
import { DEFAULT_POLICY, type Policy } from './policy';
import { newRecommendation, type RaiseInput, type RecommendationState } from './recommendation';
import { replay, replayState } from './replay';
import { revise, textHash } from './testing/fixtures';
import { advance } from './schedule';
import { instantMs } from './time';
import { toView, type StateView } from './view';

const SEC: Actor = { id: 'sec', roles: ['secretariat'] };
const dir = (nation: NationCode): Actor => ({ id: `dir-${nation}`, roles: ['director'], nation });
const wg = (nation: NationCode): Actor => ({
  id: `wg-${nation}`,
  roles: ['wg-member'],
  nation,
  workingGroups: ['SCS'],
});
const senior = (nation: NationCode): Actor => ({ id: `sr-${nation}`, roles: ['senior-rep'], nation });
const t = (iso: string): number => instantMs(iso);

/** A lifecycle driven by the real rules, keeping the event log and the live view at chosen instants. */
class Script {
  state: RecommendationState;
  log: RecordedEvent[] = [];
  snapshots: { at: string; view: StateView }[] = [];

  constructor(at: string, policy: Policy) {
    const by: ActorRef = { id: 'sec', role: 'secretariat' };
    const input: RaiseInput = {
      title: 'Supply chain security for rare earths',
      textHash: textHash('S1 B1'),
      workingGroup: 'SCS',
      language: 'en',
      nations: ['FRA', 'DEU', 'ITA'],
      policy,
      rapporteur: 'rapporteur@example.nato.int',
    };
    this.state = newRecommendation('DIPB-2026-0007', input, by, at);
    this.record([{ type: 'raised', at, actor: by, revision: 1, data: { ...input } }]);
  }

  /** A revision of the text to the one named `label`. */
  revise(label: string, note: string, at: string): this {
    return this.do(SEC, revise(this.state, label, note), at);
  }

  do(actor: Actor, command: Command, at: string): this {
    const verdict = decide(this.state, actor, command, t(at));
    if (!verdict.ok) throw new Error(verdict.refusal.message);
    const step = apply(this.state, actor, command, t(at));
    this.state = step.state;
    this.record(step.events);
    return this;
  }

  tick(at: string): this {
    const step = advance(this.state, t(at));
    this.state = step.state;
    this.record(step.events);
    return this;
  }

  snap(at: string): this {
    this.snapshots.push({ at, view: toView(this.state, t(at)) });
    return this;
  }

  private record(events: DomainEvent[]): void {
    for (const e of events) this.log.push({ ...e, seq: this.log.length + 1, reference: this.state.reference });
  }
}

const policy: Policy = {
  ...DEFAULT_POLICY,
  consensusSilence: 'P7D',
  approvalSilence: 'P7D',
  silenceReminders: ['P1D'],
  responseDue: 'P30D',
  responseReminders: ['P7D', 'P1D'],
};

function lifecycle(): Script {
  return new Script('2026-01-05T09:00:00.000Z', policy)
    .snap('2026-01-05T10:00:00.000Z')
    .revise('S1 B2', 'clarified', '2026-01-06T09:00:00.000Z')
    .do(SEC, { type: 'call-consensus' }, '2026-01-07T09:00:00.000Z')
    .do(
      wg('FRA'),
      { type: 'consensus-position', position: 'object', comment: 'scope too wide' },
      '2026-01-08T09:00:00.000Z',
    )
    .snap('2026-01-08T12:00:00.000Z') // back in drafting, objection recorded
    .revise('S3 B2', 'narrowed the scope', '2026-01-09T09:00:00.000Z')
    .do(SEC, { type: 'call-consensus' }, '2026-01-10T09:00:00.000Z')
    .do(wg('DEU'), { type: 'consensus-position', position: 'concur', comment: '' }, '2026-01-11T09:00:00.000Z')
    .snap('2026-01-12T09:00:00.000Z') // revision 3 under WG silence, FRA and ITA silent
    .tick('2026-01-17T09:00:00.000Z')
    .snap('2026-01-17T09:00:00.000Z') // silence held, senior approval open
    .do(senior('ITA'), { type: 'approval-position', position: 'concur', comment: 'fine' }, '2026-01-18T09:00:00.000Z')
    .tick('2026-01-24T09:00:00.000Z')
    .do(SEC, { type: 'submit' }, '2026-01-25T09:00:00.000Z')
    .do(
      dir('FRA'),
      { type: 'respond', nation: 'FRA', decision: 'under-consideration', comment: 'studying' },
      '2026-01-26T09:00:00.000Z',
    )
    .do(
      dir('DEU'),
      {
        type: 'respond',
        nation: 'DEU',
        decision: 'accepted',
        comment: 'yes',
        plannedCompletion: '2026-12-31T00:00:00Z',
      },
      '2026-02-01T09:00:00.000Z',
    )
    .tick('2026-02-17T09:00:00.000Z') // the 7-day reminder
    .snap('2026-02-17T09:00:00.000Z') // submitted: FRA interim, DEU accepted, ITA awaiting
    .do(
      dir('ITA'),
      { type: 'respond', nation: 'ITA', decision: 'not-accepted', comment: 'no' },
      '2026-02-20T09:00:00.000Z',
    )
    .tick('2026-02-24T09:00:01.000Z') // response deadline passes; FRA is overdue
    .snap('2026-02-25T09:00:00.000Z')
    .do(SEC, { type: 'close', reason: 'superseded by DIPB-2026-0042' }, '2026-03-01T09:00:00.000Z')
    .snap('2026-03-02T09:00:00.000Z');
}

describe('replay', () => {
  const script = lifecycle();

  it('is null before the recommendation was raised', () => {
    expect(replay(script.log, t('2026-01-05T08:59:59.999Z'))).toBeNull();
    expect(replay([], t('2026-06-01T00:00:00Z'))).toBeNull();
  });

  it.each(script.snapshots.map((s) => [s.at, s.view] as const))('gives exactly the live view at %s', (at, view) => {
    expect(replay(script.log, t(at))).toEqual(view);
  });

  it('shows which text was under silence and who had not spoken', () => {
    const v = replay(script.log, t('2026-01-12T09:00:00.000Z'));
    expect(v?.stage).toBe('wg-consensus');
    expect(v?.revision).toBe(3);
    expect(v?.textHash).toBe(textHash('S3 B2'));
    expect(v?.consensus).toMatchObject({ round: 2, revision: 3, deadline: '2026-01-17T09:00:00.000Z', outcome: null });
    expect(v?.consensus?.positions.map((p) => p.nation)).toEqual(['DEU']);
  });

  it('shows the answers, the overdue nation and the closure as they came', () => {
    const before = replay(script.log, t('2026-02-17T09:00:00.000Z'));
    expect(before?.nations.map((n) => [n.code, n.state, n.overdue])).toEqual([
      ['FRA', 'under-consideration', false],
      ['DEU', 'accepted', false],
      ['ITA', 'awaiting-response', false],
    ]);
    expect(before?.nations[0]?.nextReminderAt).toBe('2026-02-23T09:00:00.000Z'); // the 1-day reminder is next
    const overdue = replay(script.log, t('2026-02-25T09:00:00.000Z'));
    expect(overdue?.stage).toBe('follow-up');
    expect(overdue?.nations.find((n) => n.code === 'FRA')?.overdue).toBe(true);
    const closed = replay(script.log, t('2026-03-02T09:00:00.000Z'));
    expect(closed?.stage).toBe('closed');
    // DEU accepted, ITA did not; FRA's interim answer is not a decision (rates.ts).
    expect(closed?.outcome).toMatchObject({ reason: 'superseded by DIPB-2026-0042', acceptanceRate: 1 / 2 });
  });

  it('folds the trail into exactly the state the workflow keeps (one transition function)', () => {
    expect(replayState(script.log, t('2027-01-01T00:00:00Z'))).toEqual(script.state);
  });

  it('does not depend on the order the events are given in', () => {
    const shuffled = [...script.log].reverse();
    expect(replay(shuffled, t('2026-02-25T09:00:00.000Z'))).toEqual(replay(script.log, t('2026-02-25T09:00:00.000Z')));
  });

  it('replays a withdrawal', () => {
    const w = new Script('2026-01-05T09:00:00.000Z', policy).do(
      SEC,
      { type: 'withdraw', reason: 'no longer needed' },
      '2026-01-06T09:00:00.000Z',
    );
    expect(replay(w.log, t('2026-01-07T00:00:00Z'))).toEqual(toView(w.state, t('2026-01-07T00:00:00Z')));
    expect(replay(w.log, t('2026-01-05T12:00:00Z'))?.stage).toBe('drafting');
  });
});
