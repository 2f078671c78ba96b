import { NATION_CODES, type NationCode } from './allies';
import type { NotificationRequest } from './notification';
import type { RecommendationState } from './recommendation';
import type { Policy } from './policy';
import type { Chase } from './recommendation';
import { advance, isStillDue, nextDeadline, nextDueAt } from './schedule';
import { chaseSlot, escalatesAt, escalatesBetween, latestChaseSlot, roundSlots, type ChaseSlot } from './slots';
import { actors, DAY, HOUR, inStage, NATIONS, policy, run, SEC, T0 } from './testing/fixtures';
import { instantMs, toIso } from './time';

const D = instantMs('2026-06-01T00:00:00Z');
const def = policy();
const sec = actors.secretariat();

function submittedWith(nations: NationCode[] = NATIONS, overrides = {}) {
  const { state, now } = inStage('approved', { nations, policy: policy(overrides) });
  return { state: run(state, sec, { type: 'submit' }, now).state, now };
}

const first = (chase: Chase, p: Policy, n: number): ChaseSlot[] =>
  Array.from({ length: n }, (_, i) => chaseSlot(chase, p, i));

describe('chaseSlot', () => {
  it('a response chase with the default policy: 30, 7, 1 days before; overdue notices every 14 days without end, the secretariat told at the 3rd and every 3 after', () => {
    expect(first({ kind: 'response', dueAt: toIso(D), next: 0 }, def, 11)).toEqual<ChaseSlot[]>([
      { at: D - 30 * DAY, kind: 'response-reminder', escalate: false },
      { at: D - 7 * DAY, kind: 'response-reminder', escalate: false },
      { at: D - 1 * DAY, kind: 'response-reminder', escalate: false },
      { at: D, kind: 'response-overdue', escalate: false },
      { at: D + 14 * DAY, kind: 'response-overdue', escalate: false },
      { at: D + 28 * DAY, kind: 'response-overdue', escalate: false },
      { at: D + 42 * DAY, kind: 'response-overdue', escalate: true },
      { at: D + 56 * DAY, kind: 'response-overdue', escalate: false },
      { at: D + 70 * DAY, kind: 'response-overdue', escalate: false },
      { at: D + 84 * DAY, kind: 'response-overdue', escalate: true },
      { at: D + 98 * DAY, kind: 'response-overdue', escalate: false },
    ]);
  });

  it('orders reminders by time whatever order the policy lists them in', () => {
    const slots = first(
      { kind: 'response', dueAt: toIso(D), next: 0 },
      policy({ responseReminders: ['P1D', 'P30D', 'P7D'] }),
      3,
    );
    expect(slots.map((s) => (D - s.at) / DAY)).toEqual([30, 7, 1]);
  });

  it('a progress chase: one request before the due date, then overdue notices, escalating every 3rd', () => {
    expect(first({ kind: 'progress', dueAt: toIso(D), next: 0 }, def, 5)).toEqual<ChaseSlot[]>([
      { at: D - 14 * DAY, kind: 'progress-request', escalate: false },
      { at: D, kind: 'progress-overdue', escalate: false },
      { at: D + 14 * DAY, kind: 'progress-overdue', escalate: false },
      { at: D + 28 * DAY, kind: 'progress-overdue', escalate: false },
      { at: D + 42 * DAY, kind: 'progress-overdue', escalate: true },
    ]);
  });

  it('escalateAfter 0 tells the secretariat at the due date itself, and at every notice after it', () => {
    const slots = first(
      { kind: 'response', dueAt: toIso(D), next: 0 },
      policy({ escalateAfter: 0, responseReminders: [] }),
      3,
    );
    expect(slots).toEqual([
      { at: D, kind: 'response-overdue', escalate: true },
      { at: D + 14 * DAY, kind: 'response-overdue', escalate: true },
      { at: D + 28 * DAY, kind: 'response-overdue', escalate: true },
    ]);
  });

  it('escalatesAt: the escalateAfter-th notice, then every escalateAfter notices', () => {
    const at = (e: number) =>
      Array.from({ length: 12 }, (_, k) => k).filter((k) => escalatesAt(k, policy({ escalateAfter: e })));
    expect(at(3)).toEqual([3, 6, 9]);
    expect(at(1)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(at(5)).toEqual([5, 10]);
  });

  it('slots are strictly increasing in time', () => {
    for (const kind of ['response', 'progress'] as const) {
      const at = first({ kind, dueAt: toIso(D), next: 0 }, def, 40).map((s) => s.at);
      expect(at).toEqual([...at].sort((a, b) => a - b));
      expect(new Set(at).size).toBe(at.length);
    }
  });
});

describe('roundSlots', () => {
  it('reminds before the silence deadline, but never before the round opened', () => {
    const round = {
      number: 1,
      revision: 1,
      openedAt: toIso(D),
      deadline: toIso(D + 14 * DAY),
      positions: [],
      outcome: null,
      nextReminder: 0,
    };
    expect(roundSlots(round, def, 'consensus-reminder')).toEqual([{ at: D + 11 * DAY, kind: 'consensus-reminder' }]);
    expect(roundSlots({ ...round, deadline: toIso(D + 2 * DAY) }, def, 'consensus-reminder')).toEqual([]);
  });
});

describe('latestChaseSlot', () => {
  const chase: Chase = { kind: 'response', dueAt: toIso(D), next: 0 };
  it.each([
    [0, D - 31 * DAY, null],
    [0, D - 30 * DAY, 0],
    [0, D - 30 * DAY + 1, 0],
    [0, D - 2 * DAY, 1],
    // A worker down across several slots: only the latest is due; the earlier ones are skipped.
    [0, D + 20 * DAY, 4],
    [1, D + 20 * DAY, 4],
    [5, D + 20 * DAY, null],
    // The chase never ends: a year on, the 26th overdue notice (every 14 days) is the latest.
    [0, D + 365 * DAY, 3 + 26],
    [30, D + 365 * DAY, null],
  ])('from slot %d at %d → %p', (next, now, expected) => {
    expect(latestChaseSlot(chase, def, next, now)).toBe(expected);
  });

  it('agrees with a walk over the slots, wherever it starts and stops', () => {
    for (let next = 0; next < 12; next++) {
      for (let t = D - 40 * DAY; t < D + 120 * DAY; t += 5 * HOUR) {
        let walked: number | null = null;
        for (let i = next; i < 20; i++) if (chaseSlot(chase, def, i).at <= t) walked = i;
        expect(latestChaseSlot(chase, def, next, t)).toBe(walked);
      }
    }
  });

  it('a catch-up across an escalation still tells the secretariat', () => {
    expect(escalatesBetween(chase, def, 3, 7)).toBe(true); // overdue notices 0..4: the 3rd escalates
    expect(escalatesBetween(chase, def, 3, 5)).toBe(false);
    expect(escalatesBetween(chase, def, 7, 8)).toBe(false);
  });
});

describe('nextDueAt', () => {
  it('is null where nothing is awaited', () => {
    for (const stage of ['drafting', 'approved', 'closed', 'withdrawn'] as const)
      expect(nextDueAt(inStage(stage).state)).toBeNull();
  });

  it('in a silence procedure: the reminder, then the deadline', () => {
    const { state } = inStage('wg-consensus');
    const deadline = instantMs(state.consensus?.deadline as string);
    expect(nextDueAt(state)).toBe(deadline - 3 * DAY);
    const reminded = advance(state, deadline - 3 * DAY).state;
    expect(nextDueAt(reminded)).toBe(deadline);
    expect(nextDeadline(reminded)).toBe(toIso(deadline));
  });

  it('one timer for 32 nations: the earliest of every nation’s next slot and the response deadline', () => {
    const { state: submitted, now } = submittedWith([...NATION_CODES]);
    expect(submitted.tracks).toHaveLength(32);
    const due = instantMs(submitted.submission?.responseDue as string);
    expect(nextDueAt(submitted)).toBe(due - 30 * DAY);

    // Let the nations drift apart: some accept (chased for progress), some decline, time passes.
    let state = submitted;
    NATION_CODES.forEach((nation, i) => {
      if (i % 3 === 0)
        state = run(
          state,
          actors.director(nation),
          { type: 'respond', nation, decision: 'accepted', comment: 'Yes.' },
          now + i * DAY,
        ).state;
      if (i % 3 === 1)
        state = run(
          state,
          actors.director(nation),
          { type: 'respond', nation, decision: 'not-accepted', comment: 'No.' },
          now + i * DAY,
        ).state;
    });
    state = advance(state, due - 3 * DAY).state; // the 30- and 7-day reminders are now behind
    const expected = Math.min(
      due,
      ...state.tracks.flatMap((t) => (t.chase ? [chaseSlot(t.chase, state.policy, t.chase.next).at] : [])),
    );
    expect(expected).toBe(due - DAY);
    expect(nextDueAt(state)).toBe(expected);

    // After the deadline, in follow-up: the earliest chase of all.
    const later = advance(state, due + 100 * DAY).state;
    expect(later.stage).toBe('follow-up');
    const slots = later.tracks
      .flatMap((t) => (t.chase ? [chaseSlot(t.chase, later.policy, t.chase.next).at] : []))
      .filter((x): x is number => x !== undefined);
    expect(nextDueAt(later)).toBe(Math.min(...slots));
    expect(nextDueAt(later)).toBeGreaterThan(due + 100 * DAY);
  });
});

describe('advance', () => {
  it('does nothing before anything is due', () => {
    const { state, now } = inStage('wg-consensus');
    expect(advance(state, now)).toEqual({ state, events: [], notifications: [] });
  });

  it('reminds only the WG nations that have not spoken, once per slot', () => {
    const { state, now } = inStage('wg-consensus');
    const spoken = run(
      state,
      actors.wgMember('FRA'),
      { type: 'consensus-position', position: 'concur', comment: '' },
      now,
    ).state;
    const slot = instantMs(state.consensus?.deadline as string) - 3 * DAY;
    expect(advance(spoken, slot - 1).notifications).toEqual([]);
    const step = advance(spoken, slot);
    expect(step.notifications.map((n) => [n.kind, n.recipient])).toEqual(
      ['DEU', 'ITA', 'POL'].map((nation) => ['consensus-reminder', { role: 'wg-member', nation }]),
    );
    expect(step.notifications[0]).toMatchObject({ dueAt: toIso(slot), deadline: state.consensus?.deadline, round: 1 });
    expect(step.state.stage).toBe('wg-consensus');
    expect(advance(step.state, slot + HOUR).notifications).toEqual([]);
  });

  it('consensus silence holding at the deadline opens senior approval and calls every target nation', () => {
    const { state } = inStage('wg-consensus');
    const deadline = instantMs(state.consensus?.deadline as string);
    const step = advance(state, deadline);
    expect(step.state.stage).toBe('senior-approval');
    expect(step.state.consensus?.outcome).toBe('held');
    expect(step.state.approval).toEqual({
      number: 1,
      revision: 1,
      openedAt: toIso(deadline),
      deadline: toIso(deadline + 14 * DAY),
      positions: [],
      outcome: null,
      nextReminder: 0,
    });
    expect(step.events.map((e) => e.type)).toEqual(['consensus-held', 'approval-opened']);
    expect(step.notifications.map((n) => [n.kind, n.recipient])).toEqual(
      NATIONS.map((nation) => ['approval-call', { role: 'senior-rep', nation }]),
    );
    // Senior reminders go to those who have not spoken.
    const s2 = run(
      step.state,
      actors.seniorRep('ITA'),
      { type: 'approval-position', position: 'concur', comment: '' },
      deadline + HOUR,
    ).state;
    expect(advance(s2, deadline + 11 * DAY).notifications.map((n) => [n.kind, n.recipient])).toEqual(
      ['FRA', 'DEU', 'POL'].map((nation) => ['approval-reminder', { role: 'senior-rep', nation }]),
    );
  });

  it('approval silence holding means approved; the secretariat is told', () => {
    const { state } = inStage('senior-approval');
    const deadline = instantMs(state.approval?.deadline as string);
    const step = advance(state, deadline);
    expect(step.state.stage).toBe('approved');
    expect(step.state.approval?.outcome).toBe('held');
    expect(step.events.map((e) => e.type)).toEqual(['approval-held']);
    expect(step.notifications.map((n) => [n.kind, n.recipient])).toEqual([['approved', { role: 'secretariat' }]]);
    expect(nextDueAt(step.state)).toBeNull();
  });

  it('with autoSubmit, approval submits to the directors by itself', () => {
    const { state } = inStage('senior-approval', { policy: policy({ autoSubmit: true }) });
    const deadline = instantMs(state.approval?.deadline as string);
    const step = advance(state, deadline);
    expect(step.state.stage).toBe('submitted');
    expect(step.state.submission).toEqual({
      revision: 1,
      submittedAt: toIso(deadline),
      responseDue: toIso(deadline + 90 * DAY),
    });
    expect(step.events.map((e) => e.type)).toEqual(['approval-held', 'submitted']);
    expect(step.events[1]?.data).toMatchObject({ automatic: true });
    expect(step.notifications.map((n) => [n.kind, n.recipient])).toEqual([
      ['approved', { role: 'secretariat' }],
      ...NATIONS.map((nation) => ['submission', { role: 'director', nation }]),
    ]);
  });

  it('the response deadline moves submitted to follow-up and starts the overdue notices', () => {
    const { state } = inStage('submitted'); // FRA accepted, the others silent
    const due = instantMs(state.submission?.responseDue as string);
    const before = advance(state, due - 1);
    expect(before.state.stage).toBe('submitted');
    const step = advance(state, due);
    expect(step.state.stage).toBe('follow-up');
    expect(step.events[0]).toMatchObject({
      type: 'response-deadline-passed',
      data: { unanswered: ['DEU', 'ITA', 'POL'] },
    });
    expect(step.events.filter((e) => e.type === 'nation-overdue').map((e) => e.data.nation)).toEqual([
      'DEU',
      'ITA',
      'POL',
    ]);
    expect(step.notifications.map((n) => [n.kind, n.recipient])).toEqual(
      ['DEU', 'ITA', 'POL'].map((nation) => ['response-overdue', { role: 'director', nation }]),
    );
  });

  it('reminders go to directors who have not answered; overdue notices to directors without end; the secretariat told at every 3rd', () => {
    const { state: s0, now } = submittedWith(['FRA', 'DEU']);
    const due = instantMs(s0.submission?.responseDue as string);
    const s1 = run(
      s0,
      actors.director('FRA'),
      { type: 'respond', nation: 'FRA', decision: 'not-accepted', comment: 'No.' },
      now + HOUR,
    ).state;
    const sent: NotificationRequest[] = [];
    let state: RecommendationState = s1;
    // A worker that wakes at every due instant, for 12 wake-ups.
    for (let i = 0; i < 12; i++) {
      const at = nextDueAt(state);
      if (at === null) break;
      const step = advance(state, at);
      sent.push(...step.notifications);
      state = step.state;
    }
    const deu = { role: 'director', nation: 'DEU' };
    const secretariat = { role: 'secretariat' };
    expect(sent.map((n) => [n.kind, n.recipient, (instantMs(n.dueAt) - due) / DAY])).toEqual([
      ['response-reminder', deu, -30],
      ['response-reminder', deu, -7],
      ['response-reminder', deu, -1],
      ['response-overdue', deu, 0],
      ['response-overdue', deu, 14],
      ['response-overdue', deu, 28],
      // Escalation does not end the chase: DEU keeps being chased, and the secretariat is told again.
      ['response-overdue', deu, 42],
      ['escalation', secretariat, 42],
      ['response-overdue', deu, 56],
      ['response-overdue', deu, 70],
      ['response-overdue', deu, 84],
      ['escalation', secretariat, 84],
      ['response-overdue', deu, 98],
      ['response-overdue', deu, 112],
    ]);
    expect(sent.every((n) => n.nation === 'DEU' && n.deadline === toIso(due))).toBe(true);
    expect(new Set(sent.map((n) => n.identity)).size).toBe(sent.length);
    expect(state.tracks.find((t) => t.code === 'DEU')?.escalated).toBe(true);
    expect(nextDueAt(state)).toBe(due + 126 * DAY);
    // Until DEU answers: then nothing more is due from it, and the recommendation moves on.
    const answered = run(
      state,
      actors.director('DEU'),
      { type: 'respond', nation: 'DEU', decision: 'not-accepted', comment: 'No.' },
      due + 115 * DAY,
    );
    expect(answered.state.stage).toBe('closed');
    expect(nextDueAt(answered.state)).toBeNull();
    expect(advance(answered.state, due + 1000 * DAY).notifications).toEqual([]);
  });

  it('a catch-up over an escalation slot still tells the secretariat, once', () => {
    const { state: s0 } = submittedWith(['DEU']);
    const due = instantMs(s0.submission?.responseDue as string);
    const step = advance(s0, due + 50 * DAY); // overdue notices 0..3 fell due while the worker was down
    expect(step.notifications.map((n) => [n.kind, (instantMs(n.dueAt) - due) / DAY])).toEqual([
      ['response-overdue', 42],
      ['escalation', 42],
    ]);
  });

  it('after a long outage sends one catch-up notice per nation, not one per missed slot', () => {
    const { state: s0 } = submittedWith(['FRA', 'DEU', 'ITA']);
    const due = instantMs(s0.submission?.responseDue as string);
    const step = advance(s0, due + 20 * DAY);
    expect(step.state.stage).toBe('follow-up');
    expect(step.notifications.map((n) => [n.kind, n.nation, (instantMs(n.dueAt) - due) / DAY])).toEqual([
      ['response-overdue', 'FRA', 14],
      ['response-overdue', 'DEU', 14],
      ['response-overdue', 'ITA', 14],
    ]);
    expect(step.state.tracks.map((t) => t.chase?.next)).toEqual([5, 5, 5]);
    expect(step.events.filter((e) => e.type === 'nation-overdue')).toHaveLength(3);
    // Done: the same instant again gives nothing, and no later overdue event is repeated.
    expect(advance(step.state, due + 20 * DAY)).toEqual({ state: step.state, events: [], notifications: [] });
    const later = advance(step.state, due + 30 * DAY);
    expect(later.events.filter((e) => e.type === 'nation-overdue')).toEqual([]);
    expect(later.notifications).toHaveLength(3);
  });

  it('chases an accepting nation for progress, and a report restarts the chase', () => {
    const { state: s0, now } = inStage('submitted');
    const fra = s0.tracks.find((t) => t.code === 'FRA');
    const due = instantMs(fra?.chase?.dueAt as string);
    expect(fra?.chase?.kind).toBe('progress');
    const step = advance(s0, due - 14 * DAY);
    expect(step.notifications.filter((n) => n.nation === 'FRA')).toEqual([
      expect.objectContaining({
        kind: 'progress-request',
        recipient: { role: 'director', nation: 'FRA' },
        deadline: toIso(due),
      }),
    ]);
    const reported = run(
      step.state,
      actors.director('FRA'),
      { type: 'report-progress', nation: 'FRA', status: 'in-progress', percent: 10, comment: 'x' },
      due - DAY,
    ).state;
    expect(reported.tracks.find((t) => t.code === 'FRA')?.chase).toEqual({
      kind: 'progress',
      dueAt: toIso(due - DAY + 180 * DAY),
      next: 0,
    });
    expect(now).toBeLessThan(due);
  });
});

describe('isStillDue', () => {
  const submitted = inStage('submitted');
  const { state: s0, now } = submitted;
  const due = instantMs(s0.submission?.responseDue as string);
  const reminders = advance(s0, due - 30 * DAY).notifications; // to DEU, ITA, POL
  const toDEU = reminders.find((n) => n.nation === 'DEU') as NotificationRequest;

  it('keeps a reminder to a nation that has not answered, or has only answered for now', () => {
    expect(reminders.map((n) => n.nation)).toEqual(['DEU', 'ITA', 'POL']);
    expect(isStillDue(s0, toDEU)).toBe(true);
    const interim = run(
      s0,
      actors.director('DEU'),
      { type: 'respond', nation: 'DEU', decision: 'under-consideration', comment: 'Later.' },
      now,
    ).state;
    expect(isStillDue(interim, toDEU)).toBe(true);
  });

  it.each(['accepted', 'accepted-in-part', 'not-accepted'] as const)(
    'drops a response reminder once the nation answered %s',
    (decision) => {
      const answered = run(
        s0,
        actors.director('DEU'),
        { type: 'respond', nation: 'DEU', decision, comment: 'Final.' },
        now,
      ).state;
      expect(isStillDue(answered, toDEU)).toBe(false);
    },
  );

  it('drops an escalation about a response once the nation has answered', () => {
    const { state: late } = submittedWith(['DEU'], { escalateAfter: 0 });
    const lateDue = instantMs(late.submission?.responseDue as string);
    const step = advance(late, lateDue);
    const escalation = step.notifications.find((n) => n.kind === 'escalation') as NotificationRequest;
    expect(escalation).toMatchObject({ recipient: { role: 'secretariat' }, nation: 'DEU' });
    expect(isStillDue(step.state, escalation)).toBe(true);
    const answered = run(
      step.state,
      actors.director('DEU'),
      { type: 'respond', nation: 'DEU', decision: 'accepted', comment: 'Yes.' },
      lateDue + HOUR,
    ).state;
    expect(isStillDue(answered, escalation)).toBe(false);
  });

  it('drops a progress notice about a report that has since been made', () => {
    const fraDue = instantMs(s0.tracks[0]?.chase?.dueAt as string);
    const step = advance(s0, fraDue);
    const overdue = step.notifications.find(
      (n) => n.kind === 'progress-overdue' && n.nation === 'FRA',
    ) as NotificationRequest;
    expect(overdue).toBeDefined();
    expect(isStillDue(step.state, overdue)).toBe(true);
    const reported = run(
      step.state,
      actors.director('FRA'),
      { type: 'report-progress', nation: 'FRA', status: 'in-progress', percent: 50, comment: 'Half.' },
      fraDue + HOUR,
    ).state;
    expect(isStillDue(reported, overdue)).toBe(false);
    const done = run(
      step.state,
      actors.director('FRA'),
      { type: 'report-progress', nation: 'FRA', status: 'implemented', comment: 'Done.' },
      fraDue + HOUR,
    ).state;
    expect(isStillDue(done, overdue)).toBe(false);
  });

  it('drops everything but the withdrawal notice once withdrawn', () => {
    const withdrawn = run(s0, sec, { type: 'withdraw', reason: 'Overtaken.' }, now);
    for (const r of reminders) expect(isStillDue(withdrawn.state, r)).toBe(false);
    for (const n of withdrawn.notifications) expect(isStillDue(withdrawn.state, n)).toBe(true);
  });

  it('drops a consensus reminder for an old round, and for a nation that has since spoken', () => {
    const { state, now: t } = inStage('wg-consensus');
    const deadline = instantMs(state.consensus?.deadline as string);
    const round1 = advance(state, deadline - 3 * DAY);
    const toFRA = round1.notifications.find(
      (n) => n.nation === null && n.recipient.role === 'wg-member' && n.recipient.nation === 'FRA',
    ) as NotificationRequest;
    expect(toFRA).toBeDefined();
    expect(isStillDue(round1.state, toFRA)).toBe(true);
    const spoke = run(
      round1.state,
      actors.wgMember('FRA'),
      { type: 'consensus-position', position: 'abstain', comment: '' },
      deadline - 2 * DAY,
    ).state;
    expect(isStillDue(spoke, toFRA)).toBe(false);
    const toDEU = round1.notifications.find(
      (n) => n.recipient.role === 'wg-member' && n.recipient.nation === 'DEU',
    ) as NotificationRequest;
    const broken = run(
      round1.state,
      actors.wgMember('ITA'),
      { type: 'consensus-position', position: 'object', comment: 'No.' },
      deadline - 2 * DAY,
    ).state;
    expect(isStillDue(broken, toDEU)).toBe(false);
    const round2 = run(broken, sec, { type: 'call-consensus' }, deadline - DAY).state;
    expect(round2.consensus?.number).toBe(2);
    expect(isStillDue(round2, toDEU)).toBe(false);
    expect(t).toBeLessThan(deadline);
  });

  it('drops an approval call once the round has ended', () => {
    const { state } = inStage('senior-approval');
    const call = advance(
      inStage('wg-consensus').state,
      instantMs(inStage('wg-consensus').state.consensus?.deadline as string),
    ).notifications[0] as NotificationRequest;
    expect(isStillDue(state, call)).toBe(true);
    const approved = advance(state, instantMs(state.approval?.deadline as string)).state;
    expect(isStillDue(approved, call)).toBe(false);
  });

  it('keeps the one-off notices (objection, approved, closed)', () => {
    const { state, now: t } = inStage('follow-up');
    const closed = run(state, sec, { type: 'close', reason: 'Done.' }, t);
    expect(closed.notifications.length).toBe(1 + NATIONS.length);
    for (const n of closed.notifications) expect(isStillDue(closed.state, n)).toBe(true);
    expect(SEC).toBe(1000);
    expect(T0).toBeLessThan(t);
  });
});
