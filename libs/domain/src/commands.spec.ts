import type { Actor, Role } from './actor';
import type { NationCode } from './allies';
import {
  actorRef,
  allowedCommands,
  apply,
  COMMAND_ROLES,
  COMMAND_STAGES,
  COMMAND_TYPES,
  decide,
  execute,
  type Command,
  type CommandType,
} from './commands';
import { STAGES, type Stage } from './recommendation';
import { advance, nextDueAt } from './schedule';
import {
  actors,
  DAY,
  deepFreeze,
  HOUR,
  inStage,
  NATIONS,
  policy,
  raised,
  REF,
  revise,
  run,
  SEC,
  T0,
  textHash,
} from './testing/fixtures';
import { instantMs, toIso } from './time';

const ROLES: Role[] = ['secretariat', 'wg-member', 'senior-rep', 'director', 'observer'];

/** Written out by hand from the domain's rules, not copied from the code under test. */
const EXPECTED_STAGES: Record<CommandType, Stage[]> = {
  revise: ['drafting'],
  'call-consensus': ['drafting'],
  'consensus-position': ['wg-consensus'],
  'approval-position': ['senior-approval'],
  submit: ['approved'],
  respond: ['submitted', 'follow-up'],
  'report-progress': ['submitted', 'follow-up'],
  withdraw: ['drafting', 'wg-consensus', 'senior-approval', 'approved', 'submitted', 'follow-up'],
  close: ['submitted', 'follow-up'],
  'move-deadline': ['submitted', 'follow-up'],
  'resend-notification': ['drafting', 'wg-consensus', 'senior-approval', 'approved', 'submitted', 'follow-up'],
};
const EXPECTED_ROLES: Record<CommandType, Role[]> = {
  revise: ['secretariat'],
  'call-consensus': ['secretariat'],
  'consensus-position': ['wg-member'],
  'approval-position': ['senior-rep'],
  submit: ['secretariat'],
  respond: ['director', 'secretariat'],
  'report-progress': ['director', 'secretariat'],
  withdraw: ['secretariat'],
  close: ['secretariat'],
  'move-deadline': ['secretariat'],
  'resend-notification': ['secretariat'],
};

/** One valid command of each type. In submitted/follow-up the fixture's FRA has accepted and DEU has not answered. */
const SAMPLE: Record<CommandType, Command> = {
  revise: {
    type: 'revise',
    title: 'Secure the supply of 155 mm shells',
    textHash: textHash('better'),
    baseTextHash: textHash('raised'),
    note: 'tightened',
  },
  'call-consensus': { type: 'call-consensus' },
  'consensus-position': { type: 'consensus-position', position: 'concur', comment: '' },
  'approval-position': { type: 'approval-position', position: 'concur', comment: '' },
  submit: { type: 'submit' },
  respond: { type: 'respond', nation: 'DEU', decision: 'accepted', comment: 'Agreed.' },
  'report-progress': {
    type: 'report-progress',
    nation: 'FRA',
    status: 'in-progress',
    percent: 40,
    comment: 'Under way.',
  },
  withdraw: { type: 'withdraw', reason: 'Overtaken by events.' },
  close: { type: 'close', reason: 'Superseded.' },
  'move-deadline': { type: 'move-deadline', nation: 'DEU', dueAt: '2027-01-15T12:00:00Z', reason: 'Asked for time.' },
  'resend-notification': {
    type: 'resend-notification',
    identity: `${REF}/submission/director-FRA/revision-1`,
    reason: 'Address corrected.',
  },
};

function actorFor(role: Role, command: Command): Actor {
  const nation: NationCode = 'nation' in command ? command.nation : 'FRA';
  switch (role) {
    case 'secretariat':
      return actors.secretariat();
    case 'wg-member':
      return actors.wgMember(nation);
    case 'senior-rep':
      return actors.seniorRep(nation);
    case 'director':
      return actors.director(nation);
    case 'observer':
      return actors.observer();
  }
}

const staged = Object.fromEntries(STAGES.map((s) => [s, inStage(s)])) as Record<Stage, ReturnType<typeof inStage>>;

describe('the command tables', () => {
  it('the fixtures really are in each of the 8 stages', () => {
    expect(STAGES).toHaveLength(8);
    for (const s of STAGES) expect(staged[s].state.stage).toBe(s);
  });
  it('COMMAND_STAGES and COMMAND_ROLES say what the rules say', () => {
    expect(COMMAND_TYPES).toHaveLength(11);
    for (const t of COMMAND_TYPES) {
      expect([...COMMAND_STAGES[t]].sort()).toEqual([...EXPECTED_STAGES[t]].sort());
      expect([...COMMAND_ROLES[t]].sort()).toEqual([...EXPECTED_ROLES[t]].sort());
    }
  });
  it('nothing is allowed once closed or withdrawn; withdrawal everywhere else', () => {
    expect(allowedCommands('closed')).toEqual([]);
    expect(allowedCommands('withdrawn')).toEqual([]);
    for (const s of STAGES.filter((x) => x !== 'closed' && x !== 'withdrawn'))
      expect(allowedCommands(s)).toContain('withdraw');
    expect(allowedCommands('drafting')).toEqual(['revise', 'call-consensus', 'withdraw', 'resend-notification']);
    expect(allowedCommands('submitted')).toEqual([
      'respond',
      'report-progress',
      'withdraw',
      'close',
      'move-deadline',
      'resend-notification',
    ]);
  });
});

describe('decide: every stage × every command × every role', () => {
  const cells = STAGES.flatMap((stage) =>
    COMMAND_TYPES.flatMap((type) => ROLES.map((role) => [stage, type, role] as const)),
  );
  const allowedCells = cells.filter(
    ([stage, type, role]) => EXPECTED_STAGES[type].includes(stage) && EXPECTED_ROLES[type].includes(role),
  );

  it('has 8 × 11 × 5 cells, 29 of them allowed', () => {
    expect(cells).toHaveLength(440);
    expect(allowedCells).toHaveLength(29);
  });

  it.each(cells)('%s × %s by %s', (stage, type, role) => {
    const { state, now } = staged[stage];
    const command = SAMPLE[type];
    const verdict = decide(state, actorFor(role, command), command, now);
    if (!EXPECTED_ROLES[type].includes(role)) {
      expect(verdict).toEqual({
        ok: false,
        refusal: {
          kind: 'forbidden',
          message: expect.stringContaining(`can only be given by ${COMMAND_ROLES[type].join(' or ')}`),
        },
      });
    } else if (!EXPECTED_STAGES[type].includes(stage)) {
      expect(verdict.ok).toBe(false);
      if (verdict.ok) return;
      expect(verdict.refusal.kind).toBe('stage');
      expect(verdict.refusal.message).toMatch(
        new RegExp(
          `^recommendation ${REF} is ${stage === 'closed' || stage === 'withdrawn' ? stage : `in ${stage}`}; .+ can only be given in ${EXPECTED_STAGES[type].join(' or ')}\\.`,
        ),
      );
      if (stage === 'closed' || stage === 'withdrawn')
        expect(verdict.refusal.message).toMatch(/Nothing more can be done to it$/);
      else expect(verdict.refusal.message).toMatch(/Allowed now: .*a withdrawal/);
    } else {
      expect(verdict).toEqual({ ok: true, duplicate: false });
      // An allowed command applies without throwing, records who gave it, and leaves its input alone.
      const step = apply(state, actorFor(role, command), command, now);
      expect(step.events.length).toBeGreaterThan(0);
      expect(step.events[0]?.actor).toMatchObject({ id: actorFor(role, command).id, role });
      expect(step.state.updatedAt).toBe(toIso(now));
    }
  });

  it('names the stage and what is allowed now', () => {
    const { state, now } = staged['senior-approval'];
    const verdict = decide(state, actors.wgMember('FRA'), SAMPLE['consensus-position'], now);
    expect(verdict).toEqual({
      ok: false,
      refusal: {
        kind: 'stage',
        message:
          'recommendation DIPB-2026-0007 is in senior-approval; a WG position can only be given in wg-consensus. Allowed now: a senior-representative position, a withdrawal, a resend of a notification',
      },
    });
  });
});

describe('decide: nations', () => {
  const { state: submitted, now } = staged.submitted;
  const respond = (nation: NationCode): Command => ({
    type: 'respond',
    nation,
    decision: 'not-accepted',
    comment: 'No.',
  });

  it('a director answers only for their own nation', () => {
    expect(decide(submitted, actors.director('DEU'), respond('DEU'), now)).toEqual({ ok: true, duplicate: false });
    const verdict = decide(submitted, actors.director('FRA'), respond('DEU'), now);
    expect(verdict).toEqual({
      ok: false,
      refusal: { kind: 'forbidden', message: expect.stringMatching(/own nation \(FRA\), not for DEU/) },
    });
    expect(decide(submitted, { id: 'x', roles: ['director'] }, respond('DEU'), now)).toMatchObject({
      ok: false,
      refusal: { kind: 'forbidden' },
    });
    const progress: Command = { type: 'report-progress', nation: 'FRA', status: 'implemented', comment: 'Done.' };
    expect(decide(submitted, actors.director('DEU'), progress, now)).toMatchObject({
      ok: false,
      refusal: { kind: 'forbidden' },
    });
  });

  it('the secretariat may answer on behalf of a nation, and that is recorded', () => {
    const sec = actors.secretariat();
    expect(decide(submitted, sec, respond('DEU'), now)).toEqual({ ok: true, duplicate: false });
    const step = apply(submitted, sec, respond('DEU'), now);
    const track = step.state.tracks.find((t) => t.code === 'DEU');
    expect(track?.response?.by).toEqual({
      id: 'sec-1',
      name: 'Secretariat officer',
      role: 'secretariat',
      onBehalfOf: 'DEU',
    });
    expect(step.events[0]?.actor).toEqual({
      id: 'sec-1',
      name: 'Secretariat officer',
      role: 'secretariat',
      onBehalfOf: 'DEU',
    });
    const own = apply(submitted, actors.director('DEU'), respond('DEU'), now);
    expect(own.events[0]?.actor).toEqual({ id: 'nad-DEU', role: 'director', nation: 'DEU' });
  });

  it('someone who is both a director and in the secretariat, answering for another nation, is recorded as acting on its behalf', () => {
    const both: Actor = { id: 'dual', roles: ['director', 'secretariat'], nation: 'FRA' };
    expect(actorRef(both, respond('DEU'))).toEqual({
      id: 'dual',
      role: 'secretariat',
      nation: 'FRA',
      onBehalfOf: 'DEU',
    });
    expect(
      actorRef(both, { type: 'report-progress', nation: 'DEU', status: 'implemented', comment: 'x' }),
    ).toMatchObject({ role: 'secretariat', onBehalfOf: 'DEU' });
    expect(actorRef(both, respond('FRA'))).toEqual({ id: 'dual', role: 'director', nation: 'FRA' });
  });

  it('only target nations answer', () => {
    expect(decide(submitted, actors.secretariat(), respond('USA'), now)).toEqual({
      ok: false,
      refusal: { kind: 'invalid', message: `USA is not a target nation of ${REF}` },
    });
  });

  it('a WG member takes positions only in their own WG and only for a target nation', () => {
    const { state, now: t } = staged['wg-consensus'];
    const concur = SAMPLE['consensus-position'];
    expect(decide(state, actors.wgMember('FRA', ['IC', 'SCS']), concur, t)).toEqual({ ok: true, duplicate: false });
    expect(decide(state, actors.wgMember('FRA', ['IC']), concur, t)).toEqual({
      ok: false,
      refusal: { kind: 'forbidden', message: `only members of working group SCS take positions on ${REF}` },
    });
    expect(decide(state, { id: 'x', roles: ['wg-member'], nation: 'FRA' }, concur, t)).toMatchObject({
      ok: false,
      refusal: { kind: 'forbidden' },
    });
    expect(decide(state, actors.wgMember('USA'), concur, t)).toEqual({
      ok: false,
      refusal: { kind: 'forbidden', message: `USA is not a target nation of ${REF}` },
    });
    expect(decide(state, { id: 'x', roles: ['wg-member'], workingGroups: ['SCS'] }, concur, t)).toMatchObject({
      ok: false,
      refusal: { kind: 'forbidden' },
    });
  });

  it('a senior representative speaks only for a target nation', () => {
    const { state, now: t } = staged['senior-approval'];
    const concur = SAMPLE['approval-position'];
    expect(decide(state, actors.seniorRep('ITA'), concur, t)).toEqual({ ok: true, duplicate: false });
    expect(decide(state, actors.seniorRep('GBR'), concur, t)).toMatchObject({
      ok: false,
      refusal: { kind: 'forbidden' },
    });
    expect(decide(state, { id: 'x', roles: ['senior-rep'] }, concur, t)).toMatchObject({
      ok: false,
      refusal: { kind: 'forbidden' },
    });
  });

  it('a senior representative concurs or objects, never abstains; a WG member may abstain', () => {
    const a = staged['senior-approval'];
    expect(
      decide(a.state, actors.seniorRep('FRA'), { type: 'approval-position', position: 'abstain', comment: 'x' }, a.now),
    ).toEqual({
      ok: false,
      refusal: { kind: 'invalid', message: 'a senior representative concurs or objects' },
    });
    const c = staged['wg-consensus'];
    expect(
      decide(c.state, actors.wgMember('FRA'), { type: 'consensus-position', position: 'abstain', comment: '' }, c.now),
    ).toEqual({ ok: true, duplicate: false });
  });

  it.each([
    ['wg-consensus', 'consensus-position', actors.wgMember('FRA')],
    ['senior-approval', 'approval-position', actors.seniorRep('FRA')],
  ] as const)('in %s an objection without a reason is refused', (stage, type, actor) => {
    const { state, now: t } = staged[stage];
    for (const comment of ['', '   ', '\n']) {
      expect(decide(state, actor, { type, position: 'object', comment }, t)).toEqual({
        ok: false,
        refusal: { kind: 'invalid', message: 'an objection must give a reason in comment' },
      });
    }
    expect(decide(state, actor, { type, position: 'object', comment: 'Too costly.' }, t)).toEqual({
      ok: true,
      duplicate: false,
    });
  });
});

describe('decide: duplicates and conflicts', () => {
  it('the same position twice is a duplicate; a changed one replaces it', () => {
    const { state, now } = staged['wg-consensus'];
    const fra = actors.wgMember('FRA');
    const once = run(state, fra, { type: 'consensus-position', position: 'concur', comment: 'fine' }, now).state;
    expect(decide(once, fra, { type: 'consensus-position', position: 'concur', comment: 'fine' }, now + SEC)).toEqual({
      ok: true,
      duplicate: true,
    });
    expect(decide(once, fra, { type: 'consensus-position', position: 'abstain', comment: 'fine' }, now + SEC)).toEqual({
      ok: true,
      duplicate: false,
    });
    const twice = run(once, fra, { type: 'consensus-position', position: 'abstain', comment: 'fine' }, now + SEC).state;
    expect(twice.consensus?.positions.filter((p) => p.nation === 'FRA').map((p) => p.position)).toEqual(['abstain']);
    // Another nation saying the same is not a duplicate.
    expect(
      decide(once, actors.wgMember('DEU'), { type: 'consensus-position', position: 'concur', comment: 'fine' }, now),
    ).toEqual({ ok: true, duplicate: false });
  });

  it('the same approval position twice is a duplicate', () => {
    const { state, now } = staged['senior-approval'];
    const rep = actors.seniorRep('POL');
    const once = run(state, rep, { type: 'approval-position', position: 'concur', comment: '' }, now).state;
    expect(decide(once, rep, { type: 'approval-position', position: 'concur', comment: '' }, now)).toEqual({
      ok: true,
      duplicate: true,
    });
  });

  it('the same response twice is a duplicate; a final response cannot be changed', () => {
    const { state, now } = staged.submitted;
    const deu = actors.director('DEU');
    const interim: Command = {
      type: 'respond',
      nation: 'DEU',
      decision: 'under-consideration',
      comment: 'Studying it.',
    };
    const s1 = run(state, deu, interim, now).state;
    expect(decide(s1, deu, interim, now)).toEqual({ ok: true, duplicate: true });
    const final: Command = { type: 'respond', nation: 'DEU', decision: 'accepted-in-part', comment: 'Some of it.' };
    expect(decide(s1, deu, final, now)).toEqual({ ok: true, duplicate: false });
    const s2 = run(s1, deu, final, now).state;
    expect(decide(s2, deu, final, now)).toEqual({ ok: true, duplicate: true });
    for (const decision of ['accepted', 'not-accepted', 'under-consideration'] as const) {
      expect(decide(s2, deu, { type: 'respond', nation: 'DEU', decision, comment: 'changed my mind' }, now)).toEqual({
        ok: false,
        refusal: {
          kind: 'conflict',
          message: 'DEU has already answered accepted-in-part; a final answer cannot be changed',
        },
      });
    }
    // Even the secretariat cannot change it.
    expect(
      decide(s2, actors.secretariat(), { type: 'respond', nation: 'DEU', decision: 'not-accepted', comment: 'x' }, now),
    ).toMatchObject({ ok: false, refusal: { kind: 'conflict' } });
  });

  it('the same progress report twice is a duplicate, including a final one', () => {
    const { state, now } = staged.submitted;
    const fra = actors.director('FRA');
    const partial: Command = {
      type: 'report-progress',
      nation: 'FRA',
      status: 'in-progress',
      percent: 30,
      comment: 'Started.',
    };
    const s1 = run(state, fra, partial, now).state;
    expect(decide(s1, fra, partial, now)).toEqual({ ok: true, duplicate: true });
    expect(decide(s1, fra, { ...partial, percent: 60 }, now)).toEqual({ ok: true, duplicate: false });
    const done: Command = {
      type: 'report-progress',
      nation: 'FRA',
      status: 'implemented',
      comment: 'Done.',
      evidenceUrl: 'https://example.org/e',
    };
    const s2 = run(s1, fra, done, now).state;
    expect(decide(s2, fra, done, now)).toEqual({ ok: true, duplicate: true });
    const notDone: Command = {
      type: 'report-progress',
      nation: 'FRA',
      status: 'not-implemented',
      comment: 'Budget cut.',
    };
    const s3 = run(s1, fra, notDone, now).state;
    expect(decide(s3, fra, notDone, now)).toEqual({ ok: true, duplicate: true });
    // Anything else after a final report is a conflict.
    expect(decide(s2, fra, partial, now)).toMatchObject({ ok: false, refusal: { kind: 'conflict' } });
    expect(decide(s2, fra, notDone, now)).toMatchObject({ ok: false, refusal: { kind: 'conflict' } });
  });

  it('progress comes only from a nation that accepted', () => {
    const { state, now } = staged.submitted;
    const report = (nation: NationCode): Command => ({
      type: 'report-progress',
      nation,
      status: 'in-progress',
      percent: 10,
      comment: 'x',
    });
    expect(decide(state, actors.director('DEU'), report('DEU'), now)).toEqual({
      ok: false,
      refusal: {
        kind: 'conflict',
        message: 'DEU is awaiting-response; progress is reported only by a nation that accepted and has not finished',
      },
    });
    const declined = run(
      state,
      actors.director('DEU'),
      { type: 'respond', nation: 'DEU', decision: 'not-accepted', comment: 'No.' },
      now,
    ).state;
    expect(decide(declined, actors.director('DEU'), report('DEU'), now)).toMatchObject({
      ok: false,
      refusal: { kind: 'conflict' },
    });
  });

  it.each([undefined, -1, 101, Number.NaN])(
    'an in-progress report needs a percent from 0 to 100, not %p',
    (percent) => {
      const { state, now } = staged.submitted;
      const command = {
        type: 'report-progress',
        nation: 'FRA',
        status: 'in-progress',
        comment: 'x',
        ...(percent === undefined ? {} : { percent }),
      } as Command;
      expect(decide(state, actors.director('FRA'), command, now)).toEqual({
        ok: false,
        refusal: { kind: 'invalid', message: 'an in-progress report gives percent from 0 to 100' },
      });
    },
  );
});

describe('decide: invalid commands', () => {
  const d = staged.drafting;
  const sec = actors.secretariat();

  it('a revision must change the text, name it by hash, and start from the current text', () => {
    expect(decide(d.state, sec, { ...revise(d.state, 'x'), textHash: 'not-a-hash' }, d.now)).toEqual({
      ok: false,
      refusal: { kind: 'invalid', message: 'a revision names its text by its sha256 hash' },
    });
    expect(decide(d.state, sec, revise(d.state, 'raised'), d.now)).toEqual({
      ok: false,
      refusal: { kind: 'invalid', message: 'the text is the same as revision 1' },
    });
    // Two revisions made from revision 1 at once: the second is refused, not silently applied over the first.
    const second = run(d.state, sec, revise(d.state, 'two'), d.now).state;
    expect(decide(second, sec, revise(d.state, 'three'), d.now)).toEqual({
      ok: false,
      refusal: {
        kind: 'conflict',
        message: `revision 2 of ${REF} was made after the text this revision started from; read it and revise again`,
      },
    });
  });

  it.each([
    [{ deadline: '2026-04-01T10:00:00Z', silence: 'P1D' }, /not both/],
    [{ deadline: '2026-04-01T10:00:00' }, /instant with a zone/],
    [{ deadline: '2026-04-01' }, /instant with a zone/],
    [{ deadline: toIso(T0) }, /in the future/],
    [{ silence: 'PT0S' }, /at least one second/],
    [{ silence: 'P1M' }, /ISO 8601 duration/],
    [{ silence: '-P1D' }, /ISO 8601 duration/],
    [{ silence: 'P9999D' }, /at most five years/],
    [{ deadline: '2126-04-01T10:00:00Z' }, /at most five years/],
  ])('call-consensus %p is refused', (fields, message) => {
    expect(decide(d.state, sec, { type: 'call-consensus', ...fields }, d.now)).toEqual({
      ok: false,
      refusal: { kind: 'invalid', message: expect.stringMatching(message) },
    });
  });

  it.each(['', '  '])('withdraw and close need a reason, not %p', (reason) => {
    expect(decide(d.state, sec, { type: 'withdraw', reason }, d.now)).toEqual({
      ok: false,
      refusal: { kind: 'invalid', message: 'a reason is required' },
    });
    const f = staged['follow-up'];
    expect(decide(f.state, sec, { type: 'close', reason }, f.now)).toEqual({
      ok: false,
      refusal: { kind: 'invalid', message: 'a reason is required' },
    });
  });

  it('a planned completion is a calendar date (or an instant with a zone), and is recorded as given', () => {
    const { state, now } = staged.submitted;
    const base = { type: 'respond', nation: 'DEU', decision: 'accepted', comment: 'Yes.' } as const;
    for (const plannedCompletion of ['2027-06-30', '2027-06-30T00:00:00Z']) {
      expect(decide(state, actors.director('DEU'), { ...base, plannedCompletion }, now)).toEqual({
        ok: true,
        duplicate: false,
      });
    }
    for (const plannedCompletion of ['2027-02-30', '30/06/2027', '2027-06-30T00:00:00', 'soon']) {
      expect(decide(state, actors.director('DEU'), { ...base, plannedCompletion }, now)).toMatchObject({
        ok: false,
        refusal: { kind: 'invalid' },
      });
    }
    const [answered] = execute(state, actors.director('DEU'), { ...base, plannedCompletion: '2027-06-30' }, now);
    expect(answered?.data.plannedCompletion).toBe('2027-06-30');
    const [byInstant] = execute(
      state,
      actors.director('DEU'),
      { ...base, plannedCompletion: '2027-06-30T02:00:00+02:00' },
      now,
    );
    expect(byInstant?.data.plannedCompletion).toBe('2027-06-30T00:00:00.000Z');
  });
});

describe('apply', () => {
  const sec = actors.secretariat();

  it('revise numbers a new revision and records its text by hash, never the text', () => {
    const { state, now } = staged.drafting;
    const step = run(state, sec, revise(state, 'new summary', 'after WG comments'), now);
    expect(step.state.revision).toBe(2);
    expect(step.state.textHash).toBe(textHash('new summary'));
    expect(step.state.title).toBe(state.title);
    expect(step.state.revisions).toEqual([
      state.revisions[0],
      {
        number: 2,
        note: 'after WG comments',
        at: toIso(now),
        by: { id: 'sec-1', name: 'Secretariat officer', role: 'secretariat' },
      },
    ]);
    expect(step.events).toEqual([
      {
        type: 'revised',
        at: toIso(now),
        actor: { id: 'sec-1', name: 'Secretariat officer', role: 'secretariat' },
        revision: 2,
        data: { number: 2, note: 'after WG comments', title: state.title, textHash: textHash('new summary') },
      },
    ]);
    const third = run(step.state, sec, revise(step.state, 'third', 'again', 'A new title'), now + 1).state;
    expect(third.title).toBe('A new title');
    expect(third.revision).toBe(3);
    expect(third.revisions.map((r) => r.number)).toEqual([1, 2, 3]);
  });

  it("call-consensus opens a round with the policy's silence and calls every target nation", () => {
    const { state, now } = staged.drafting;
    const step = run(state, sec, { type: 'call-consensus' }, now);
    const deadline = toIso(now + 14 * DAY);
    expect(step.state.stage).toBe('wg-consensus');
    expect(step.state.consensus).toEqual({
      number: 1,
      revision: 1,
      openedAt: toIso(now),
      deadline,
      positions: [],
      outcome: null,
      nextReminder: 0,
    });
    expect(step.events).toEqual([expect.objectContaining({ type: 'consensus-called', data: { round: 1, deadline } })]);
    expect(step.notifications.map((n) => [n.kind, n.recipient, n.deadline, n.round])).toEqual(
      NATIONS.map((nation) => ['consensus-call', { role: 'wg-member', nation }, deadline, 1]),
    );
    expect(new Set(step.notifications.map((n) => n.identity)).size).toBe(NATIONS.length);
  });

  it('call-consensus takes a given silence or deadline instead', () => {
    const { state, now } = staged.drafting;
    expect(run(state, sec, { type: 'call-consensus', silence: 'PT2S' }, now).state.consensus?.deadline).toBe(
      toIso(now + 2 * SEC),
    );
    expect(
      run(state, sec, { type: 'call-consensus', deadline: '2026-04-01T12:00:00+02:00' }, now).state.consensus?.deadline,
    ).toBe('2026-04-01T10:00:00.000Z');
  });

  it('an objection breaks silence: back to drafting, recorded, and sent to the rapporteur', () => {
    const { state, now } = staged['wg-consensus'];
    const step = run(
      state,
      actors.wgMember('DEU'),
      { type: 'consensus-position', position: 'object', comment: 'Costs unknown.' },
      now,
    );
    expect(step.state.stage).toBe('drafting');
    expect(step.state.consensus?.outcome).toBe('broken');
    expect(step.events.map((e) => e.type)).toEqual(['consensus-position', 'consensus-broken']);
    expect(step.events[1]?.data).toEqual({ round: 1, nation: 'DEU', reason: 'Costs unknown.' });
    expect(step.notifications).toEqual([
      expect.objectContaining({
        kind: 'objection',
        recipient: { role: 'rapporteur' },
        nation: 'DEU',
        note: 'Costs unknown.',
        round: 1,
        revision: 1,
      }),
    ]);
    // A second round after a revision is numbered 2.
    const revised = run(step.state, sec, revise(step.state, 'costed', 'costed'), now + HOUR).state;
    const round2 = run(revised, sec, { type: 'call-consensus' }, now + 2 * HOUR).state;
    expect(round2.consensus).toMatchObject({ number: 2, revision: 2, positions: [], outcome: null });
  });

  it('a concurrence does not move the stage', () => {
    const { state, now } = staged['wg-consensus'];
    const step = run(
      state,
      actors.wgMember('DEU'),
      { type: 'consensus-position', position: 'concur', comment: '' },
      now,
    );
    expect(step.state.stage).toBe('wg-consensus');
    expect(step.notifications).toEqual([]);
    expect(step.state.consensus?.positions).toEqual([
      expect.objectContaining({ nation: 'DEU', position: 'concur', at: toIso(now) }),
    ]);
  });

  it('an objection in senior approval returns to drafting too', () => {
    const { state, now } = staged['senior-approval'];
    const step = run(
      state,
      actors.seniorRep('ITA'),
      { type: 'approval-position', position: 'object', comment: 'Not now.' },
      now,
    );
    expect(step.state.stage).toBe('drafting');
    expect(step.state.approval?.outcome).toBe('broken');
    expect(step.events.map((e) => e.type)).toEqual(['approval-position', 'approval-broken']);
    expect(step.notifications).toEqual([
      expect.objectContaining({
        kind: 'objection',
        recipient: { role: 'rapporteur' },
        nation: 'ITA',
        note: 'Not now.',
      }),
    ]);
  });

  it('submit opens one track per target nation, due after policy.responseDue, with one submission notice each', () => {
    const { state, now } = staged.approved;
    const step = run(state, sec, { type: 'submit' }, now);
    const responseDue = toIso(now + 90 * DAY);
    expect(step.state.stage).toBe('submitted');
    expect(step.state.submission).toEqual({ revision: 1, submittedAt: toIso(now), responseDue });
    expect(step.state.tracks).toEqual(
      NATIONS.map((code) => ({
        code,
        state: 'awaiting-response',
        response: null,
        progress: [],
        chase: { kind: 'response', dueAt: responseDue, next: 0 },
        escalated: false,
      })),
    );
    expect(step.notifications.map((n) => [n.kind, n.recipient, n.deadline])).toEqual(
      NATIONS.map((nation) => ['submission', { role: 'director', nation }, responseDue]),
    );
    expect(step.events).toEqual([
      expect.objectContaining({
        type: 'submitted',
        data: { revision: 1, submittedAt: toIso(now), responseDue, automatic: false },
      }),
    ]);
  });

  it('a response: accepted is chased for progress, interim stays chased for a response, declined is final', () => {
    const { state, now } = staged.submitted;
    const a = run(
      state,
      actors.director('DEU'),
      {
        type: 'respond',
        nation: 'DEU',
        decision: 'accepted',
        comment: 'Yes.',
        plannedCompletion: '2027-06-30T00:00:00+02:00',
      },
      now,
    ).state;
    const deu = a.tracks.find((t) => t.code === 'DEU');
    expect(deu).toMatchObject({
      state: 'accepted',
      chase: { kind: 'progress', dueAt: toIso(now + 180 * DAY), next: 0 },
    });
    expect(deu?.response).toMatchObject({ decision: 'accepted', plannedCompletion: '2027-06-29T22:00:00.000Z' });

    const i = run(
      state,
      actors.director('ITA'),
      { type: 'respond', nation: 'ITA', decision: 'under-consideration', comment: 'Later.' },
      now,
    ).state;
    expect(i.tracks.find((t) => t.code === 'ITA')).toMatchObject({
      state: 'under-consideration',
      chase: state.tracks.find((t) => t.code === 'ITA')?.chase,
    });

    const n = run(
      state,
      actors.director('POL'),
      { type: 'respond', nation: 'POL', decision: 'not-accepted', comment: 'No.' },
      now,
    ).state;
    expect(n.tracks.find((t) => t.code === 'POL')).toMatchObject({ state: 'not-accepted', chase: null });
    expect(n.stage).toBe('submitted');
  });

  it('when every nation has answered finally, submitted moves to follow-up', () => {
    let { state } = staged.submitted;
    const { now } = staged.submitted;
    for (const nation of ['DEU', 'ITA', 'POL'] as const) {
      expect(state.stage).toBe('submitted');
      state = run(
        state,
        actors.director(nation),
        { type: 'respond', nation, decision: nation === 'POL' ? 'not-accepted' : 'accepted-in-part', comment: 'x' },
        now,
      ).state;
    }
    expect(state.stage).toBe('follow-up');
  });

  it('when every nation declines, it closes with acceptance 0 and no implementation rate', () => {
    let state = run(staged.approved.state, sec, { type: 'submit' }, T0).state;
    for (const nation of NATIONS)
      state = run(
        state,
        actors.director(nation),
        { type: 'respond', nation, decision: 'not-accepted', comment: 'No.' },
        T0 + DAY,
      ).state;
    expect(state.stage).toBe('closed');
    expect(state.outcome).toMatchObject({
      acceptanceRate: 0,
      implementationRate: null,
      reason: 'every target nation has reached a final state',
    });
  });

  it('progress: in-progress restarts the chase, implemented / not-implemented are final, and all final closes', () => {
    let { state } = staged.submitted;
    const { now } = staged.submitted;
    state = run(
      state,
      actors.director('FRA'),
      { type: 'report-progress', nation: 'FRA', status: 'in-progress', percent: 50, comment: 'Half.' },
      now,
    ).state;
    expect(state.tracks[0]).toMatchObject({
      state: 'accepted',
      chase: { kind: 'progress', dueAt: toIso(now + 180 * DAY), next: 0 },
    });
    expect(state.tracks[0]?.progress).toEqual([
      expect.objectContaining({ status: 'in-progress', percent: 50, comment: 'Half.', evidenceUrl: null }),
    ]);
    state = run(
      state,
      actors.director('FRA'),
      {
        type: 'report-progress',
        nation: 'FRA',
        status: 'implemented',
        comment: 'Done.',
        evidenceUrl: 'https://e.example',
      },
      now + 1,
    ).state;
    expect(state.tracks[0]).toMatchObject({ state: 'implemented', chase: null });
    expect(state.stage).toBe('submitted');
    state = run(
      state,
      actors.director('DEU'),
      { type: 'respond', nation: 'DEU', decision: 'accepted', comment: 'Yes.' },
      now + 2,
    ).state;
    state = run(
      state,
      actors.director('ITA'),
      { type: 'respond', nation: 'ITA', decision: 'not-accepted', comment: 'No.' },
      now + 3,
    ).state;
    state = run(state, sec, { type: 'respond', nation: 'POL', decision: 'accepted', comment: 'Yes.' }, now + 4).state;
    expect(state.stage).toBe('follow-up');
    state = run(
      state,
      actors.director('DEU'),
      { type: 'report-progress', nation: 'DEU', status: 'not-implemented', comment: 'Budget.' },
      now + 5,
    ).state;
    expect(state.stage).toBe('follow-up');
    const last = run(
      state,
      sec,
      { type: 'report-progress', nation: 'POL', status: 'implemented', comment: 'Done.' },
      now + 6,
    );
    expect(last.state.stage).toBe('closed');
    expect(last.state.closedAt).toBe(toIso(now + 6));
    expect(last.state.outcome).toEqual({
      reason: 'every target nation has reached a final state',
      results: [
        { nation: 'FRA', state: 'implemented' },
        { nation: 'DEU', state: 'not-implemented' },
        { nation: 'ITA', state: 'not-accepted' },
        { nation: 'POL', state: 'implemented' },
      ],
      acceptanceRate: 0.75,
      implementationRate: 2 / 3,
    });
    expect(last.events.map((e) => e.type)).toEqual(['progress-reported', 'closed']);
    expect(last.notifications.map((n) => n.recipient)).toEqual([
      { role: 'secretariat' },
      ...NATIONS.map((nation) => ({ role: 'director', nation })),
    ]);
    expect(nextDueAt(last.state)).toBeNull();
  });

  it.each(STAGES.filter((s) => s !== 'closed' && s !== 'withdrawn'))(
    'withdraw from %s stops every chase and reminder',
    (stage) => {
      const { state, now } = staged[stage];
      const step = run(state, sec, { type: 'withdraw', reason: 'Overtaken.' }, now);
      expect(step.state.stage).toBe('withdrawn');
      expect(step.state.withdrawal).toEqual({
        reason: 'Overtaken.',
        at: toIso(now),
        by: expect.objectContaining({ role: 'secretariat' }),
      });
      expect(step.state.tracks.every((t) => t.chase === null)).toBe(true);
      expect(step.events).toEqual([
        expect.objectContaining({ type: 'withdrawn', data: { reason: 'Overtaken.', from: stage } }),
      ]);
      expect(nextDueAt(step.state)).toBeNull();
      // Nothing is ever due again, however long we wait.
      expect(advance(step.state, now + 3 * 365 * DAY)).toEqual({ state: step.state, events: [], notifications: [] });
      // The secretariat is told, and everyone asked to act whose matter was open: the WG delegates in
      // consensus, the senior representatives in approval, the directors of nations not yet final.
      const asked: Partial<Record<Stage, string>> = {
        'wg-consensus': 'wg-member',
        'senior-approval': 'senior-rep',
        submitted: 'director',
        'follow-up': 'director',
      };
      const role = asked[stage];
      expect(step.notifications.map((n) => n.recipient)).toEqual([
        { role: 'secretariat' },
        ...(role ? NATIONS.map((nation) => ({ role, nation })) : []),
      ]);
      expect(step.notifications.every((n) => n.kind === 'withdrawn' && n.note === 'Overtaken.')).toBe(true);
    },
  );

  it('close computes acceptance and implementation rates (hand-computed example)', () => {
    let { state } = staged.submitted; // FRA accepted
    const { now } = staged.submitted;
    state = run(
      state,
      actors.director('FRA'),
      { type: 'report-progress', nation: 'FRA', status: 'implemented', comment: 'Done.' },
      now,
    ).state;
    state = run(
      state,
      actors.director('DEU'),
      { type: 'respond', nation: 'DEU', decision: 'accepted-in-part', comment: 'Part.' },
      now,
    ).state;
    state = run(
      state,
      actors.director('DEU'),
      { type: 'report-progress', nation: 'DEU', status: 'in-progress', percent: 20, comment: 'Slow.' },
      now,
    ).state;
    state = run(
      state,
      actors.director('ITA'),
      { type: 'respond', nation: 'ITA', decision: 'not-accepted', comment: 'No.' },
      now,
    ).state;
    // POL never answers.
    const step = run(state, sec, { type: 'close', reason: 'Superseded.' }, now + HOUR);
    expect(step.state.stage).toBe('closed');
    expect(step.state.outcome).toEqual({
      reason: 'Superseded.',
      results: [
        { nation: 'FRA', state: 'implemented' },
        { nation: 'DEU', state: 'accepted-in-part' },
        { nation: 'ITA', state: 'not-accepted' },
        { nation: 'POL', state: 'awaiting-response' },
      ],
      // Two of the three final answers accept; POL, which never answered, is not counted (rates.ts).
      acceptanceRate: 2 / 3,
      implementationRate: 0.5,
    });
    expect(step.state.tracks.every((t) => t.chase === null)).toBe(true);
    expect(step.events).toEqual([
      expect.objectContaining({
        type: 'closed',
        actor: expect.objectContaining({ role: 'secretariat' }),
        data: { reason: 'Superseded.', outcome: step.state.outcome },
      }),
    ]);
    expect(nextDueAt(step.state)).toBeNull();
  });

  it('never changes the state it is given', () => {
    const frozen = deepFreeze(raised({ policy: policy({ autoSubmit: true }) }));
    expect(() => apply(frozen, sec, revise(frozen, 'T2'), T0)).not.toThrow();
    expect(frozen.revision).toBe(1);
  });
});

describe('decide never lets an unknown stage through', () => {
  it('refuses every command in a stage the tables do not know', () => {
    const odd = { ...staged.drafting.state, stage: 'archived' as Stage };
    for (const type of COMMAND_TYPES) {
      const command = SAMPLE[type];
      const verdict = decide(odd, actorFor(EXPECTED_ROLES[type][0] as Role, command), command, T0);
      expect(verdict).toMatchObject({ ok: false, refusal: { kind: 'stage' } });
    }
  });
});

it('instants in events are the clock given, not the wall clock', () => {
  const { state } = staged.drafting;
  const at = instantMs('2030-01-01T00:00:00Z');
  const step = run(state, actors.secretariat(), { type: 'call-consensus' }, at);
  expect(step.events[0]?.at).toBe('2030-01-01T00:00:00.000Z');
});
