import { DateTime } from 'luxon';
import type { NationCode } from './allies';
import { workingDays, type Policy } from './policy';
import { durationMs } from './time';

/**
 * NATO HQ's working calendar, as one recommendation holds it (pinned when it is raised, like the
 * policy): the days the building is closed and the working hours. Weekends are closed by rule; the
 * other closed days (Belgian public holidays, NATO HQ's closure days) are data, listed through
 * `through`. Pure data, so that the workflow can place deadlines deterministically.
 */
export interface WorkingCalendar {
  /** NATO HQ's zone, in which deadlines are placed. */
  zone: string;
  /** Working hours, local time (HH:mm). */
  opens: string;
  closes: string;
  /** Closed days other than weekends: date (YYYY-MM-DD) → why, e.g. "Christmas Day", "NATO HQ closure". */
  closed: Record<string, string>;
  /** The last date the closed days are known for; after it only weekends are closed. */
  through: string;
  /** The nations' own zones for quiet hours, where one differs from NATO HQ's. */
  zones: Partial<Record<NationCode, string>>;
}

/** Where a computed deadline was placed, and the rule that moved it (null when it stood). */
export interface Placement {
  at: number;
  movedFrom: number | null;
  rule: string | null;
}

/** Working hours in a zone, for quiet hours: when a reminder may reach a person. */
export interface WorkingHours {
  zone: string;
  opens: string;
  closes: string;
}

export const WEEKEND = 'weekend';
export const OUTSIDE_HOURS = 'outside working hours';
/** No run of closed days is this long: a calendar that says otherwise is refused before it is used. */
const MAX_CLOSED_RUN = 60;

function clock(day: DateTime, hhmm: string): DateTime {
  const [h, m] = hhmm.split(':').map(Number);
  return day.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 });
}

/** Why `day` (local) is closed, or null on a working day. */
export function closedReason(day: DateTime, calendar: Pick<WorkingCalendar, 'closed'>): string | null {
  if (day.weekday >= 6) return WEEKEND;
  return calendar.closed[day.toISODate() ?? ''] ?? null;
}

function nextWorkingDay(day: DateTime, calendar: Pick<WorkingCalendar, 'closed'>): DateTime {
  let d = day;
  for (let i = 0; i < MAX_CLOSED_RUN && closedReason(d, calendar) !== null; i++) d = d.plus({ days: 1 });
  return d;
}

/**
 * A computed deadline as NATO HQ keeps it: one that falls on a closed day or outside working hours
 * moves to the closing time of the next working day (the same day when it falls before opening), the
 * way silence procedures are written ("by 17:30 on Monday 28 December"). One within working hours stands.
 */
export function placeDeadline(ms: number, calendar: WorkingCalendar): Placement {
  const t = DateTime.fromMillis(ms, { zone: calendar.zone });
  const closed = closedReason(t, calendar);
  const early = t < clock(t, calendar.opens);
  const late = t > clock(t, calendar.closes);
  if (closed === null && !early && !late) return { at: ms, movedFrom: null, rule: null };
  const start = closed === null && early ? t.startOf('day') : t.startOf('day').plus({ days: 1 });
  const day = nextWorkingDay(start, calendar);
  return { at: clock(day, calendar.closes).toMillis(), movedFrom: ms, rule: closed ?? OUTSIDE_HOURS };
}

/** The closing time of the `days`-th working day after the day of `fromMs` (NATO HQ's zone). */
export function addWorkingDays(fromMs: number, days: number, calendar: WorkingCalendar): number {
  let day: DateTime = DateTime.fromMillis(fromMs, { zone: calendar.zone }).startOf('day');
  for (let n = 0; n < days; n++) day = nextWorkingDay(day.plus({ days: 1 }), calendar);
  return clock(day, calendar.closes).toMillis();
}

/**
 * The first instant at or after `ms` within working hours on a working day in `hours.zone`: when a
 * reminder may go. Weekends are closed in every zone; the listed closed days are NATO HQ's and apply
 * only in its zone.
 */
export function withinWorkingHours(ms: number, hours: WorkingHours, calendar: WorkingCalendar): number {
  const closed = hours.zone === calendar.zone ? calendar : { closed: {} };
  const t = DateTime.fromMillis(ms, { zone: hours.zone });
  if (closedReason(t, closed) === null && t >= clock(t, hours.opens) && t < clock(t, hours.closes)) return ms;
  const start = closedReason(t, closed) === null && t < clock(t, hours.opens) ? t : t.plus({ days: 1 });
  return clock(nextWorkingDay(start.startOf('day'), closed), hours.opens).toMillis();
}

/** The hours within which a nation's people are reminded: NATO HQ's hours, in the nation's zone. */
export function hoursOf(nation: NationCode, calendar: WorkingCalendar): WorkingHours {
  return { zone: calendar.zones[nation] ?? calendar.zone, opens: calendar.opens, closes: calendar.closes };
}

/** "moved from Fri 25 Dec to Mon 28 Dec 17:30 (Christmas Day)": the rule applied, as the view shows it. */
export function describePlacement(placement: Placement, calendar: WorkingCalendar): string | null {
  if (placement.movedFrom === null || placement.rule === null) return null;
  const at = (ms: number, format: string): string =>
    DateTime.fromMillis(ms, { zone: calendar.zone }).setLocale('en-GB').toFormat(format);
  return `moved from ${at(placement.movedFrom, 'ccc d LLL HH:mm')} to ${at(placement.at, 'ccc d LLL HH:mm')} (${placement.rule})`;
}

/** NATO HQ's hours with weekends only: what working days count on when no calendar was pinned. */
export const HQ_WEEKENDS: Readonly<WorkingCalendar> = Object.freeze({
  zone: 'Europe/Brussels',
  opens: '09:00',
  closes: '17:30',
  closed: {},
  through: '1970-01-01',
  zones: {},
});

/**
 * The deadline `period` after `from` under a recommendation's policy: counted in working days when the
 * policy says so, and placed on the working calendar when the policy keeps one (see `placeDeadline`).
 */
export function deadlineAfter(
  from: number,
  period: string,
  policy: Policy,
  calendar: WorkingCalendar | null | undefined,
): Placement {
  const kept = policy.calendar === true && calendar ? calendar : null;
  const days = workingDays(period);
  if (days !== null) return { at: addWorkingDays(from, days, kept ?? HQ_WEEKENDS), movedFrom: null, rule: null };
  const at = from + durationMs(period);
  return kept ? placeDeadline(at, kept) : { at, movedFrom: null, rule: null };
}

/**
 * The working hours a reminder waits for (one nation's, or for a round's reminder, every target nation's),
 * with the calendar whose closed days apply in NATO HQ's zone.
 */
export interface Quiet {
  hours: WorkingHours[];
  calendar: WorkingCalendar;
}

/**
 * Quiet hours for a nation's people, or with `null`, for a silence procedure's reminders (one message to
 * every silent delegate at once): the hours of every target nation. Null when the policy keeps none.
 */
export function quietFor(
  state: { policy: Policy; calendar?: WorkingCalendar | null; nations: readonly NationCode[] },
  nation: NationCode | null,
): Quiet | null {
  const calendar = state.calendar;
  if (state.policy.quietHours !== true || !calendar) return null;
  const nations = nation === null ? state.nations : [nation];
  const byZone = new Map(nations.map((n) => hoursOf(n, calendar)).map((h) => [h.zone, h]));
  return { hours: [...byZone.values()], calendar };
}

/** The same quiet hours and NATO HQ's too: an escalation reaches the secretariat as well as the nation. */
export function withHeadquarters(quiet: Quiet | null): Quiet | null {
  if (!quiet) return null;
  const { zone, opens, closes } = quiet.calendar;
  return quiet.hours.some((h) => h.zone === zone)
    ? quiet
    : { ...quiet, hours: [...quiet.hours, { zone, opens, closes }] };
}

/** How many times `quietly` looks for a common hour before it settles for the last instant it found. */
const COMMON_HOUR_SEARCH = 50;

/**
 * The first instant at or after `ms` within the working hours of every zone of `quiet` (`ms` itself
 * without quiet hours). From Ankara to Washington the working days of the Allies overlap every weekday
 * (09:00 in Washington is 17:00 in Ankara); should zones ever not overlap, the search stops at an
 * instant within one of them.
 */
export function quietly(ms: number, quiet: Quiet | null): number {
  if (!quiet) return ms;
  let t = ms;
  for (let i = 0; i < COMMON_HOUR_SEARCH; i++) {
    const next = Math.max(...quiet.hours.map((h) => withinWorkingHours(t, h, quiet.calendar)));
    if (next === t) return t;
    t = next;
  }
  return t;
}
