import type { RecommendationView } from '@app/domain';
import { call } from '@app/testing';
import { DateTime } from 'luxon';
import { e2eStack, events, expectOk, raise } from './lifecycle.helpers';

/**
 * NATO HQ's working calendar through the real API, worker, Temporal and PostgreSQL: a closure day the
 * secretariat adds moves the deadlines of recommendations raised after it, and not of those raised before
 * (each pins the calendar it was raised with); the workflow places the deadline and records the rule.
 */
describe('deadlines on the working calendar', () => {
  const s = e2eStack();
  const zone = 'Europe/Brussels';
  const stamp = Date.now().toString(36);

  interface Year {
    closedDays: { date: string }[];
  }
  async function isWorkingDay(day: DateTime): Promise<boolean> {
    if (day.weekday >= 6) return false;
    const year = await call<Year>(s.api, 'GET', `/api/v1/calendar/${day.year}`, { token: s.who.observer });
    return !year.body.closedDays.some((d) => d.date === day.toISODate());
  }
  async function nextWorkingDay(after: DateTime): Promise<DateTime> {
    let day = after.plus({ days: 1 });
    while (!(await isWorkingDay(day))) day = day.plus({ days: 1 });
    return day;
  }
  const calledWith = async (reference: string, silence: string): Promise<RecommendationView> =>
    expectOk(
      await call<RecommendationView>(s.api, 'POST', `/api/v1/recommendations/${reference}/consensus`, {
        token: s.who.secretariat,
        body: { silence },
      }),
    );
  const withdraw = (reference: string) =>
    call(s.api, 'POST', `/api/v1/recommendations/${reference}/withdrawal`, {
      token: s.who.secretariat,
      body: { reason: 'calendar test done' },
    });

  it('moves a deadline off a closure day added after one recommendation was raised and before another', async () => {
    // A policy counted in days keeps the calendar (the default); the silence is then given to the second.
    const policy = { consensusSilence: 'P14D', silenceReminders: [] };
    const before = await raise(s.api, s.who.secretariat, { title: `Raised before the closure ${stamp}`, policy });
    expect(before.policy).toMatchObject({ calendar: true, quietHours: true });

    // A working day at least two days ahead becomes a closure day.
    const day = await nextWorkingDay(DateTime.now().setZone(zone).plus({ days: 1 }).startOf('day'));
    const reason = `E2E closure ${stamp}`;
    const year = await call<Year>(s.api, 'PUT', `/api/v1/calendar/closure-days/${day.toISODate()}`, {
      token: s.who.secretariat,
      body: { reason },
    });
    expect(year.status).toBe(200);
    const closed = day.toISODate() ?? '';
    try {
      const after = await raise(s.api, s.who.secretariat, { title: `Raised after the closure ${stamp}`, policy });

      // Both are called with a silence that ends at noon on that day, Brussels time.
      const noon = day.set({ hour: 12 });
      // Rounded up: the workflow counts from a moment later still, so the silence never ends before noon.
      const silence = (): string => `PT${Math.ceil((noon.toMillis() - Date.now()) / 1000)}S`;
      const stood = await calledWith(before.reference, silence());
      const moved = await calledWith(after.reference, silence());

      // Raised before: its calendar does not know the closure; noon on a working day stands (to the second).
      expect(Math.abs(DateTime.fromISO(stood.consensus?.deadline ?? '').toMillis() - noon.toMillis())).toBeLessThan(
        2000,
      );
      expect(stood.consensus?.deadlineRule).toBeNull();
      // Raised after: moved to 17:30 on the next working day, the rule named.
      const next = await nextWorkingDay(day);
      expect(moved.consensus?.deadline).toBe(next.set({ hour: 17, minute: 30 }).toUTC().toISO());
      expect(moved.consensus?.deadlineRule).toBe(
        `moved from ${noon.setLocale('en-GB').toFormat('ccc d LLL')} 12:00 to ${next.setLocale('en-GB').toFormat('ccc d LLL')} 17:30 (${reason})`,
      );

      // What each pinned is in its audit trail: the closed days and the nations' zones.
      const pinned = async (
        reference: string,
      ): Promise<{ closed: Record<string, string>; zones: Record<string, string> }> =>
        (await events(s.api, s.who.secretariat, reference)).find((e) => e.type === 'raised')?.data.calendar as {
          closed: Record<string, string>;
          zones: Record<string, string>;
        };
      expect((await pinned(before.reference)).closed[closed]).toBeUndefined();
      expect((await pinned(after.reference)).closed[closed]).toBe(reason);
      expect((await pinned(after.reference)).zones.USA).toBe('America/New_York');

      expect((await withdraw(before.reference)).status).toBe(200);
      expect((await withdraw(after.reference)).status).toBe(200);
    } finally {
      // The stack's database outlives this spec: the day opens again (the trail keeps both changes).
      expect(
        (await call(s.api, 'DELETE', `/api/v1/calendar/closure-days/${closed}`, { token: s.who.secretariat })).status,
      ).toBe(200);
    }
  });

  it('keeps a test policy in seconds off the calendar', async () => {
    const fast = await raise(s.api, s.who.secretariat, { title: `Fast ${stamp}` });
    expect(fast.policy).toMatchObject({ calendar: false, quietHours: false });
    const called = await calledWith(fast.reference, 'PT30S');
    expect(called.consensus?.deadlineRule).toBeNull();
    expect(
      (await events(s.api, s.who.secretariat, fast.reference)).find((e) => e.type === 'raised')?.data.calendar,
    ).toBeUndefined();
    expect((await withdraw(fast.reference)).status).toBe(200);
  });
});
