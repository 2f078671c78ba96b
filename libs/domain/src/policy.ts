import { durationMs, isIsoDuration } from './time';

/** A deadline counted in NATO HQ's working days, e.g. "10 working days" (needs `calendar`). */
const WORKING_DAYS = /^([1-9]\d{0,3}) working days?$/;
const DAY_MS = 24 * 3600 * 1000;

/** The number of working days `value` states, or null when it is an ISO 8601 duration (or nothing). */
export function workingDays(value: unknown): number | null {
  const m = typeof value === 'string' ? WORKING_DAYS.exec(value) : null;
  return m ? Number(m[1]) : null;
}

/**
 * The deadlines and reminder schedule of one recommendation, pinned when it is raised.
 * Durations are ISO 8601 so that a test can run a whole lifecycle in seconds.
 */
export interface Policy {
  /** How long WG silence runs once consensus is called. */
  consensusSilence: string;
  /** How long senior-representative silence runs once approval opens. */
  approvalSilence: string;
  /** Reminders to those who have not spoken, this long before a silence deadline. */
  silenceReminders: string[];
  /** Directors' response deadline, counted from submission. */
  responseDue: string;
  /** Response reminders, this long before the response deadline. */
  responseReminders: string[];
  /** Overdue notices (responses and progress reports) repeat at this interval. */
  overdueEvery: string;
  /** After this many overdue notices, the secretariat is told instead. */
  escalateAfter: number;
  /** Interval between progress reports of an accepting nation. */
  followUpEvery: string;
  /** A progress report is requested this long before it is due. */
  followUpReminder: string;
  /** Submit to directors by itself when approval silence holds. */
  autoSubmit: boolean;
  /**
   * Deadlines are placed on NATO HQ's working calendar: one that falls on a closed day or outside
   * working hours moves to the next working day's closing time. Absent in policies pinned before it
   * existed (off).
   */
  calendar?: boolean;
  /** Reminders, overdue notices and escalations go within the recipient's working hours (absent: off). */
  quietHours?: boolean;
}

export type PolicyInput = Partial<Policy>;

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  consensusSilence: 'P14D',
  approvalSilence: 'P14D',
  silenceReminders: ['P3D'],
  responseDue: 'P90D',
  responseReminders: ['P30D', 'P7D', 'P1D'],
  overdueEvery: 'P14D',
  escalateAfter: 3,
  followUpEvery: 'P180D',
  followUpReminder: 'P14D',
  autoSubmit: false,
  calendar: true,
  quietHours: true,
});

/**
 * The defaults of a priority recommendation (the Board's "actions prioritaires"): a week of silence at
 * each stage, 45 days to answer, notices every week, and the secretariat told at the first overdue
 * notice; progress every quarter. What the caller gives still overrides them field by field.
 */
export const PRIORITY_POLICY: Readonly<Policy> = Object.freeze({
  consensusSilence: 'P7D',
  approvalSilence: 'P7D',
  silenceReminders: ['P2D'],
  responseDue: 'P45D',
  responseReminders: ['P14D', 'P3D', 'P1D'],
  overdueEvery: 'P7D',
  escalateAfter: 1,
  followUpEvery: 'P90D',
  followUpReminder: 'P14D',
  autoSubmit: false,
  calendar: true,
  quietHours: true,
});

/** Nothing in this process runs longer than five years between two steps. */
export const MAX_DURATION_MS = 5 * 366 * 24 * 3600 * 1000;
/** A deadline shorter than a second cannot be met by anyone, a test included. */
export const MIN_DURATION_MS = 1000;

export interface FieldError {
  field: string;
  message: string;
}

export type PolicyResult = { ok: true; policy: Policy } | { ok: false; errors: FieldError[] };

const DURATION_FIELDS = [
  'consensusSilence',
  'approvalSilence',
  'responseDue',
  'overdueEvery',
  'followUpEvery',
  'followUpReminder',
] as const;
/** The periods that may be counted in working days (reminders and intervals stay durations). */
const WORKING_DAY_FIELDS: ReadonlySet<string> = new Set([
  'consensusSilence',
  'approvalSilence',
  'responseDue',
  'followUpEvery',
]);
const LIST_FIELDS = ['silenceReminders', 'responseReminders'] as const;
const SWITCHES = ['autoSubmit', 'calendar', 'quietHours'] as const;
const KNOWN = new Set<string>([...DURATION_FIELDS, ...LIST_FIELDS, ...SWITCHES, 'escalateAfter']);

function checkDuration(field: string, value: unknown, errors: FieldError[]): number | undefined {
  const days = workingDays(value);
  if (days !== null && WORKING_DAY_FIELDS.has(field.replace(/^policy\./, ''))) {
    // A working day is at least a day long: the checks below compare with that lower bound.
    if (days * DAY_MS > MAX_DURATION_MS) errors.push({ field, message: 'must be at most five years' });
    return days * DAY_MS;
  }
  if (!isIsoDuration(value)) {
    errors.push({
      field,
      message: 'must be an ISO 8601 duration of weeks, days, hours, minutes or seconds (e.g. P14D, PT2S)',
    });
    return undefined;
  }
  const ms = durationMs(value);
  if (ms < MIN_DURATION_MS) errors.push({ field, message: 'must be at least one second' });
  else if (ms > MAX_DURATION_MS) errors.push({ field, message: 'must be at most five years' });
  return ms;
}

/** Merges a caller's policy over the defaults and validates the result as a whole. */
export function parsePolicy(input: unknown, defaults: Readonly<Policy> = DEFAULT_POLICY): PolicyResult {
  const errors: FieldError[] = [];
  if (input === undefined || input === null)
    return {
      ok: true,
      policy: {
        ...defaults,
        silenceReminders: [...defaults.silenceReminders],
        responseReminders: [...defaults.responseReminders],
      },
    };
  if (typeof input !== 'object' || Array.isArray(input))
    return { ok: false, errors: [{ field: 'policy', message: 'must be an object' }] };
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw))
    if (!KNOWN.has(key)) errors.push({ field: `policy.${key}`, message: 'is not a policy field' });
  // A field present but undefined (an optional DTO property nobody set) means "the default".
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const merged = { ...defaults, ...given } as Record<string, unknown>;
  fitDefaults(merged, given, defaults);

  const ms: Partial<Record<(typeof DURATION_FIELDS)[number], number>> = {};
  for (const f of DURATION_FIELDS) ms[f] = checkDuration(`policy.${f}`, merged[f], errors);

  const lists: Partial<Record<(typeof LIST_FIELDS)[number], number[]>> = {};
  for (const f of LIST_FIELDS) {
    const v = merged[f];
    if (!Array.isArray(v) || v.length > 10) {
      errors.push({ field: `policy.${f}`, message: 'must be a list of at most 10 ISO 8601 durations' });
      continue;
    }
    const parsed = v.map((item, i) => checkDuration(`policy.${f}[${i}]`, item, errors) ?? 0);
    lists[f] = parsed;
    // By length, not spelling: P7D and P1W are the same reminder.
    if (parsed.every((n) => n > 0) && new Set(parsed).size !== v.length)
      errors.push({ field: `policy.${f}`, message: 'must not repeat a duration' });
  }

  const escalateAfter = merged.escalateAfter;
  if (
    typeof escalateAfter !== 'number' ||
    !Number.isInteger(escalateAfter) ||
    escalateAfter < 0 ||
    escalateAfter > 20
  ) {
    errors.push({ field: 'policy.escalateAfter', message: 'must be a whole number from 0 to 20' });
  }
  for (const f of SWITCHES)
    if (typeof merged[f] !== 'boolean') errors.push({ field: `policy.${f}`, message: 'must be true or false' });
  if (merged.calendar !== true)
    for (const f of DURATION_FIELDS)
      if (workingDays(merged[f]) !== null)
        errors.push({ field: `policy.${f}`, message: 'is counted in working days, which needs policy.calendar' });

  // Reminders must fall after the period they remind about has begun.
  const within = (list: number[] | undefined, total: number | undefined, field: string, of: string): void => {
    if (!list || total === undefined) return;
    list.forEach((r, i) => {
      if (r >= total) errors.push({ field: `policy.${field}[${i}]`, message: `must be shorter than ${of}` });
    });
  };
  within(lists.responseReminders, ms.responseDue, 'responseReminders', 'policy.responseDue');
  const shortestSilence = Math.min(ms.consensusSilence ?? Infinity, ms.approvalSilence ?? Infinity);
  within(
    lists.silenceReminders,
    Number.isFinite(shortestSilence) ? shortestSilence : undefined,
    'silenceReminders',
    'the silence periods',
  );
  if (ms.followUpReminder !== undefined && ms.followUpEvery !== undefined && ms.followUpReminder >= ms.followUpEvery) {
    errors.push({ field: 'policy.followUpReminder', message: 'must be shorter than policy.followUpEvery' });
  }

  if (errors.length > 0) return { ok: false, errors };
  const policy: Policy = {
    consensusSilence: merged.consensusSilence as string,
    approvalSilence: merged.approvalSilence as string,
    silenceReminders: [...(merged.silenceReminders as string[])],
    responseDue: merged.responseDue as string,
    responseReminders: [...(merged.responseReminders as string[])],
    overdueEvery: merged.overdueEvery as string,
    escalateAfter: merged.escalateAfter as number,
    followUpEvery: merged.followUpEvery as string,
    followUpReminder: merged.followUpReminder as string,
    autoSubmit: merged.autoSubmit as boolean,
    calendar: merged.calendar as boolean,
    quietHours: merged.quietHours as boolean,
  };
  return { ok: true, policy };
}

const msOr = (value: unknown): number | null => {
  const days = workingDays(value);
  if (days !== null) return days * DAY_MS;
  return isIsoDuration(value) ? durationMs(value) : null;
};

/**
 * Defaults the caller did not send are fitted to the periods the caller did send: a default reminder
 * that would fall before its period begins (the default P30D response reminder with `responseDue:
 * "P30D"`) is dropped, and a default progress request that would come before the previous report is
 * moved to half the period. A policy with a period shorter than a day (a test's, in seconds) is not
 * placed on the working calendar nor held to working hours unless it asks to be: every deadline would
 * move to the next working day's closing time. What the caller sent is checked as given; the pinned
 * policy (in the view) says which reminders apply and whether the calendar does.
 */
function fitDefaults(
  merged: Record<string, unknown>,
  given: Record<string, unknown>,
  defaults: Readonly<Policy>,
): void {
  const shorter = (list: readonly string[], total: number | null): string[] =>
    total === null ? [...list] : list.filter((r) => msOr(r) !== null && (msOr(r) as number) < total);
  if (!('responseReminders' in given))
    merged.responseReminders = shorter(defaults.responseReminders, msOr(merged.responseDue));
  if (!('silenceReminders' in given)) {
    const silences = [msOr(merged.consensusSilence), msOr(merged.approvalSilence)].filter(
      (n): n is number => n !== null,
    );
    merged.silenceReminders = shorter(defaults.silenceReminders, silences.length > 0 ? Math.min(...silences) : null);
  }
  const periods = Object.entries(given).flatMap(([k, v]): unknown[] =>
    (DURATION_FIELDS as readonly string[]).includes(k)
      ? [v]
      : (LIST_FIELDS as readonly string[]).includes(k) && Array.isArray(v)
        ? (v as unknown[])
        : [],
  );
  const shortest = Math.min(...periods.map((v) => msOr(v) ?? Infinity));
  if (shortest < DAY_MS) {
    if (!('calendar' in given)) merged.calendar = false;
    if (!('quietHours' in given)) merged.quietHours = false;
  }
  const every = msOr(merged.followUpEvery);
  const reminder = msOr(merged.followUpReminder);
  if (!('followUpReminder' in given) && every !== null && reminder !== null && reminder >= every) {
    merged.followUpReminder = `PT${Math.max(1, Math.floor(every / 2000))}S`;
  }
}
