import { DateTime } from 'luxon';
import {
  addWorkingDays,
  deadlineAfter,
  describePlacement,
  HQ_WEEKENDS,
  placeDeadline,
  quietFor,
  quietly,
  withinWorkingHours,
  type WorkingCalendar,
} from './calendar';
import { apply } from './commands';
import { advance, nextDueAt } from './schedule';
import { chaseSlot, latestChaseSlot, roundSlots } from './slots';
import { actors, DAY, HOUR, inStage, policy, run } from './testing/fixtures';
import { instantMs, toIso } from './time';
import { toView } from './view';

/** NATO HQ's calendar around the end of 2026, as the service pins it (holidays and the end-of-year closure). */
const HQ: WorkingCalendar = {
  zone: 'Europe/Brussels',
  opens: '09:00',
  closes: '17:30',
  closed: {
    '2026-11-11': 'Armistice Day',
    '2026-12-24': 'NATO HQ end-of-year closure',
    '2026-12-25': 'Christmas Day',
    '2026-12-28': 'NATO HQ end-of-year closure',
    '2026-12-29': 'NATO HQ end-of-year closure',
    '2026-12-30': 'NATO HQ end-of-year closure',
    '2026-12-31': 'NATO HQ end-of-year closure',
    '2027-01-01': "New Year's Day",
  },
  through: '2031-12-31',
  zones: { USA: 'America/New_York', TUR: 'Europe/Istanbul' },
};
/** The same without the closure, as the issue tells it: Christmas on a Friday, then the weekend. */
const CHRISTMAS_ONLY: WorkingCalendar = { ...HQ, closed: { '2026-12-25': 'Christmas Day' } };

const at = (iso: string): number => instantMs(iso);

describe('placeDeadline', () => {
  it('moves a 90-day response deadline from Christmas Day to the next working day at 17:30 Brussels', () => {
    // Submitted on Saturday 26 September 2026 at 11:00 Brussels: 90 days later is Friday 25 December.
    const placed = placeDeadline(at('2026-09-26T09:00:00Z') + 90 * DAY, CHRISTMAS_ONLY);
    expect(toIso(placed.at)).toBe('2026-12-28T16:30:00.000Z');
    expect(describePlacement(placed, CHRISTMAS_ONLY)).toBe(
      'moved from Fri 25 Dec 10:00 to Mon 28 Dec 17:30 (Christmas Day)',
    );
  });

  it('moves past the whole end-of-year closure and New Year to Monday 4 January', () => {
    const placed = placeDeadline(at('2026-12-25T09:00:00Z'), HQ);
    expect(toIso(placed.at)).toBe('2027-01-04T16:30:00.000Z');
    expect(placed.rule).toBe('Christmas Day');
  });

  it('moves a silence that expires at 03:00 on a Sunday to Monday 17:30', () => {
    const placed = placeDeadline(at('2026-03-15T02:00:00Z'), HQ);
    expect(toIso(placed.at)).toBe('2026-03-16T16:30:00.000Z');
    expect(placed.rule).toBe('weekend');
  });

  it('keeps a deadline within working hours, and moves one after closing to the next working day', () => {
    const noon = at('2026-03-04T11:00:00Z');
    expect(placeDeadline(noon, HQ)).toEqual({ at: noon, movedFrom: null, rule: null });
    // Wednesday 18:00 Brussels → Thursday 17:30.
    const late = placeDeadline(at('2026-03-04T17:00:00Z'), HQ);
    expect(toIso(late.at)).toBe('2026-03-05T16:30:00.000Z');
    expect(late.rule).toBe('outside working hours');
    // Closing time itself stands: the deadline is "by 17:30".
    expect(placeDeadline(at('2026-03-04T16:30:00Z'), HQ).movedFrom).toBeNull();
  });

  it('moves one before opening to the closing time of the same day', () => {
    const early = placeDeadline(at('2026-03-04T05:00:00Z'), HQ);
    expect(toIso(early.at)).toBe('2026-03-04T16:30:00.000Z');
    expect(describePlacement(early, HQ)).toBe('moved from Wed 4 Mar 06:00 to Wed 4 Mar 17:30 (outside working hours)');
  });

  it('places 17:30 in Brussels time across the change to summer time', () => {
    // Saturday 28 March 2026 → Monday 30 March, after the clocks went forward: 17:30 CEST is 15:30Z.
    expect(toIso(placeDeadline(at('2026-03-28T12:00:00Z'), HQ).at)).toBe('2026-03-30T15:30:00.000Z');
  });

  it('moves a holiday within the week to the next day (Armistice Day, a Wednesday)', () => {
    expect(toIso(placeDeadline(at('2026-11-11T10:00:00Z'), HQ).at)).toBe('2026-11-12T16:30:00.000Z');
  });
});

describe('addWorkingDays', () => {
  it('counts working days after the start day and ends at closing time', () => {
    // From Thursday 5 March: the 1st working day is Friday 6, the 3rd is Tuesday 10.
    expect(toIso(addWorkingDays(at('2026-03-05T10:00:00Z'), 1, HQ))).toBe('2026-03-06T16:30:00.000Z');
    expect(toIso(addWorkingDays(at('2026-03-05T10:00:00Z'), 3, HQ))).toBe('2026-03-10T16:30:00.000Z');
  });

  it('skips the closure, the holidays and the weekends', () => {
    // From Wednesday 23 December 2026: 4 January is the first working day, 6 January the third.
    expect(toIso(addWorkingDays(at('2026-12-23T10:00:00Z'), 1, HQ))).toBe('2027-01-04T16:30:00.000Z');
    expect(toIso(addWorkingDays(at('2026-12-23T10:00:00Z'), 3, HQ))).toBe('2027-01-06T16:30:00.000Z');
  });
});

describe('deadlineAfter', () => {
  const from = at('2026-12-18T10:00:00Z'); // a Friday
  it('places a duration on the calendar only when the policy keeps it', () => {
    expect(toIso(deadlineAfter(from, 'P7D', policy(), HQ).at)).toBe('2027-01-04T16:30:00.000Z');
    expect(deadlineAfter(from, 'P7D', policy({ calendar: false }), HQ)).toEqual({
      at: from + 7 * DAY,
      movedFrom: null,
      rule: null,
    });
    // A state from before the calendar existed has none: nothing moves.
    expect(deadlineAfter(from, 'P7D', policy(), null).at).toBe(from + 7 * DAY);
  });

  it('counts working days, and with no calendar pinned, weekends only', () => {
    expect(toIso(deadlineAfter(from, '2 working days', policy(), HQ).at)).toBe('2026-12-22T16:30:00.000Z');
    // Monday 21 to Wednesday 23 December, then the closure and New Year: Monday 4 and Tuesday 5 January.
    expect(toIso(deadlineAfter(from, '5 working days', policy(), HQ).at)).toBe('2027-01-05T16:30:00.000Z');
    expect(toIso(deadlineAfter(from, '5 working days', policy(), null).at)).toBe(
      toIso(addWorkingDays(from, 5, HQ_WEEKENDS)),
    );
    expect(toIso(deadlineAfter(from, '5 working days', policy(), null).at)).toBe('2026-12-25T16:30:00.000Z');
  });
});

describe('withinWorkingHours (quiet hours)', () => {
  const ny = { zone: 'America/New_York', opens: '09:00', closes: '17:30' };
  it("holds a reminder due on a Saturday night until Monday 09:00 in the nation's zone", () => {
    expect(toIso(withinWorkingHours(at('2026-03-07T03:00:00Z'), ny, HQ))).toBe('2026-03-09T13:00:00.000Z');
  });

  it('lets a reminder within working hours go at once, and holds one after closing until the next morning', () => {
    const tuesdayNoonNy = at('2026-03-10T16:00:00Z');
    expect(withinWorkingHours(tuesdayNoonNy, ny, HQ)).toBe(tuesdayNoonNy);
    // 17:30 has closed: the same instant is 22:30 in Brussels, in hours for nobody.
    expect(toIso(withinWorkingHours(at('2026-03-10T21:30:00Z'), ny, HQ))).toBe('2026-03-11T13:00:00.000Z');
  });

  it("keeps NATO HQ's closure days in its own zone only", () => {
    const brussels = { zone: 'Europe/Brussels', opens: '09:00', closes: '17:30' };
    // Monday 28 December 2026 is a closure day at HQ, a working day in New York.
    expect(toIso(withinWorkingHours(at('2026-12-28T07:00:00Z'), brussels, HQ))).toBe('2027-01-04T08:00:00.000Z');
    expect(toIso(withinWorkingHours(at('2026-12-28T07:00:00Z'), ny, HQ))).toBe('2026-12-28T14:00:00.000Z');
  });
});

describe('quietly (a reminder to several nations at once)', () => {
  it("waits for an hour within every target nation's working day: 09:00 in Washington is 17:00 in Istanbul", () => {
    const quiet = quietFor({ policy: policy(), calendar: HQ, nations: ['USA', 'TUR', 'FRA'] }, null);
    // Monday 16 February 2026, 08:00Z: open in Paris and Istanbul, 03:00 in Washington.
    expect(toIso(quietly(at('2026-02-16T08:00:00Z'), quiet))).toBe('2026-02-16T14:00:00.000Z');
    // After 14:30Z Istanbul has closed (17:30): the next common hour is Tuesday's.
    expect(toIso(quietly(at('2026-02-16T15:00:00Z'), quiet))).toBe('2026-02-17T14:00:00.000Z');
    // Within every nation's hours already: it goes at once.
    expect(quietly(at('2026-02-16T14:10:00Z'), quiet)).toBe(at('2026-02-16T14:10:00Z'));
    // Once Washington is on summer time (from 8 March 2026), the common hour begins at 13:00Z.
    expect(toIso(quietly(at('2026-03-09T08:00:00Z'), quiet))).toBe('2026-03-09T13:00:00.000Z');
    // Without quiet hours (the policy's off, or no calendar pinned), nothing waits.
    expect(quietFor({ policy: policy({ quietHours: false }), calendar: HQ, nations: ['USA'] }, null)).toBeNull();
    expect(quietFor({ policy: policy(), calendar: null, nations: ['USA'] }, 'USA')).toBeNull();
  });

  it("places a silence procedure's reminder in every target nation's hours, and drops one pushed past the deadline", () => {
    const { state } = inStage('wg-consensus', {
      now: at('2026-03-02T08:00:00Z'),
      nations: ['USA', 'TUR', 'FRA'],
      calendar: HQ,
    });
    const round = state.consensus;
    if (!round) throw new Error('in consensus');
    const [slot] = roundSlots(round, state.policy, 'consensus-reminder', quietFor(state, null));
    if (!slot) throw new Error('one reminder, three days before the deadline');
    for (const zone of ['America/New_York', 'Europe/Istanbul', 'Europe/Paris']) {
      const local = DateTime.fromMillis(slot.at, { zone });
      expect(local.weekday).toBeLessThan(6);
      expect(local.toFormat('HH:mm') >= '09:00' && local.toFormat('HH:mm') < '17:30').toBe(true);
    }
    // A round that closes (Monday 12:00Z) before the common hour comes (13:00Z) has no reminder left to send.
    const short = { ...round, openedAt: '2026-03-06T20:00:00.000Z', deadline: '2026-03-09T12:00:00.000Z' };
    expect(
      roundSlots(short, policy({ silenceReminders: ['PT5H'] }), 'consensus-reminder', quietFor(state, null)),
    ).toEqual([]);
  });
});

describe('an escalation in quiet hours', () => {
  it("waits for an hour within the nation's working day and the secretariat's", () => {
    // Due Monday 16 February 2026 at 17:30 Brussels, 19:30 in Istanbul: both have closed.
    const chase = { kind: 'response' as const, dueAt: '2026-02-16T16:30:00.000Z', next: 0 };
    const quiet = quietFor({ policy: policy(), calendar: HQ, nations: ['TUR'] }, 'TUR');
    // A plain overdue notice goes at 09:00 in Istanbul (07:00 in Brussels).
    const notice = chaseSlot(chase, policy({ responseReminders: [], escalateAfter: 1 }), 0, quiet);
    expect(notice).toMatchObject({ escalate: false, kind: 'response-overdue' });
    expect(toIso(notice.at)).toBe('2026-02-17T06:00:00.000Z');
    // One that escalates waits for 09:00 in Brussels (11:00 in Istanbul).
    const escalation = chaseSlot(chase, policy({ responseReminders: [], escalateAfter: 0 }), 0, quiet);
    expect(escalation.escalate).toBe(true);
    expect(toIso(escalation.at)).toBe('2026-02-17T08:00:00.000Z');
  });
});

describe('a recommendation on the working calendar', () => {
  it('places the consensus deadline, records the rule, and the view shows it', () => {
    // Called on Friday 11 December 2026 at 11:00 Brussels with P14D: Friday 25 December, Christmas.
    const { state } = inStage('drafting', { now: at('2026-12-11T08:00:00Z'), calendar: HQ });
    const step = run(state, actors.secretariat(), { type: 'call-consensus' }, at('2026-12-11T10:00:00Z'));
    expect(step.events[0]?.data).toMatchObject({
      deadline: '2027-01-04T16:30:00.000Z',
      deadlineRule: 'moved from Fri 25 Dec 11:00 to Mon 4 Jan 17:30 (Christmas Day)',
    });
    expect(toView(step.state, at('2026-12-11T10:00:00Z')).consensus?.deadlineRule).toBe(
      'moved from Fri 25 Dec 11:00 to Mon 4 Jan 17:30 (Christmas Day)',
    );
  });

  it('leaves a deadline the secretariat names as given', () => {
    const { state } = inStage('drafting', { now: at('2026-12-11T08:00:00Z'), calendar: HQ });
    const step = run(
      state,
      actors.secretariat(),
      { type: 'call-consensus', deadline: '2026-12-26T10:00:00Z' },
      at('2026-12-11T10:00:00Z'),
    );
    expect(step.events[0]?.data).toEqual({ round: 1, deadline: '2026-12-26T10:00:00.000Z' });
  });

  it("holds each nation's overdue notices to its own working hours", () => {
    // The response falls due after closing and is placed at 17:30 Brussels. FRA accepted at once (the fixture's first nation).
    const { state } = inStage('submitted', {
      now: at('2026-01-05T08:00:00Z'),
      nations: ['FRA', 'DEU', 'USA', 'TUR'],
      calendar: HQ,
      policy: policy({ responseDue: 'P30DT8H', responseReminders: [] }),
    });
    const due = instantMs(state.submission?.responseDue ?? '');
    expect(
      new Date(due).toLocaleString('en-GB', { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit' }),
    ).toBe('17:30');
    const noticeAt = (code: 'DEU' | 'USA' | 'TUR'): number => {
      const track = state.tracks.find((t) => t.code === code);
      if (!track?.chase) throw new Error(`no chase for ${code}`);
      return chaseSlot(track.chase, state.policy, track.chase.next, quietFor(state, code)).at;
    };
    const local = (ms: number, zone: string): string =>
      new Date(ms).toLocaleString('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit' });
    // 17:30 in Brussels is 11:30 in Washington (in hours): the notice goes at the deadline. Berlin has closed and
    // Istanbul too (19:30): theirs wait for 09:00 on the next working day there.
    expect(noticeAt('USA')).toBe(due);
    expect(local(noticeAt('DEU'), 'Europe/Berlin')).toMatch(/09:00$/);
    expect(local(noticeAt('TUR'), 'Europe/Istanbul')).toMatch(/09:00$/);
    expect(noticeAt('TUR')).toBeLessThan(noticeAt('DEU'));
    // The one timer comes at the first of them; each nation's notice is sent at its own instant, once.
    expect(nextDueAt(state)).toBe(due);
    const nationsDue = (step: ReturnType<typeof advance>): unknown[] =>
      step.events.filter((e) => e.type === 'notification-due').map((e) => e.data.nation);
    const atDue = advance(state, due);
    expect(nationsDue(atDue)).toEqual(['USA']);
    expect(nextDueAt(atDue.state)).toBe(noticeAt('TUR'));
    const istanbul = advance(atDue.state, noticeAt('TUR'));
    expect(nationsDue(istanbul)).toEqual(['TUR']);
    expect(nationsDue(advance(istanbul.state, noticeAt('DEU')))).toEqual(['DEU']);
  });

  it('with quiet hours, the latest slot due is the last one whose held instant has come', () => {
    const { state } = inStage('follow-up', {
      now: at('2026-01-05T08:00:00Z'),
      nations: ['FRA'],
      calendar: HQ,
      policy: policy({ followUpEvery: 'P30D', followUpReminder: 'P7D', overdueEvery: 'P1D' }),
    });
    const chase = state.tracks[0]?.chase;
    if (!chase) throw new Error('FRA is chased for progress');
    const quiet = quietFor(state, 'FRA');
    // Walk a week of slots: every instant a slot is "due" by, it has come (held or not), and the next has not.
    for (let now = instantMs(chase.dueAt); now < instantMs(chase.dueAt) + 7 * DAY; now += 5 * HOUR) {
      const i = latestChaseSlot(chase, state.policy, chase.next, now, quiet);
      if (i === null) continue;
      expect(chaseSlot(chase, state.policy, i, quiet).at).toBeLessThanOrEqual(now);
      expect(chaseSlot(chase, state.policy, i + 1, quiet).at).toBeGreaterThan(now);
    }
  });

  it('changes nothing for a state raised before the calendar existed', () => {
    const { state, now } = inStage('drafting', { now: at('2026-12-11T08:00:00Z') });
    const step = apply(state, actors.secretariat(), { type: 'call-consensus' }, now);
    expect(step.events[0]?.data).toEqual({ round: 1, deadline: toIso(now + 14 * DAY) });
  });
});
