// `npm run calendar-year -- [2027]`: for a recommendation raised on every day of the year (10:00 Brussels) with
// the default policy, for all 32 Allies, none of which answers but France (accepting on the response
// deadline), how many deadlines and messages fall on a closed day or outside working hours: with the
// policy as it was (durations only) and with the working calendar and quiet hours. Pure computation
// over the domain's own functions (`apply`, `advance`, `nextDueAt`), the calendar as the service pins it.
import { DateTime } from 'luxon';
import {
  actorAs,
  advance,
  apply,
  closedReason,
  DEFAULT_POLICY,
  hoursOf,
  instantMs,
  NATION_CODES,
  newRecommendation,
  nextDueAt,
  type Actor,
  type DomainEvent,
  type NationCode,
  type Policy,
  type RecommendationState,
  type WorkingCalendar,
} from '../libs/domain/src';
import nations from '../libs/persistence/src/nations.json';
import { closedDays, HQ } from '../apps/api/src/calendar/closed-days';

const year = Number(process.argv[2] ?? 2027);
if (!Number.isInteger(year) || year < 2000 || year > 2100) {
  console.error('usage: npm run calendar-year -- [year, 2000 to 2100]');
  process.exit(2);
}

/** NATO HQ's end-of-year closure as the first migration seeded it: the working days from 24 to 31 December. */
function endOfYearClosure(y: number): { date: string; reason: string }[] {
  const days: { date: string; reason: string }[] = [];
  for (let d = 24; d <= 31; d++) {
    const day = DateTime.fromObject({ year: y, month: 12, day: d }, { zone: HQ.zone });
    if (day.weekday < 6 && d !== 25) days.push({ date: day.toISODate() ?? '', reason: 'NATO HQ end-of-year closure' });
  }
  return days;
}

const zones = Object.fromEntries(
  nations.nations.filter((n) => n.timeZone !== HQ.zone).map((n) => [n.code, n.timeZone]),
) as WorkingCalendar['zones'];
const closures = Array.from({ length: 7 }, (_, i) => endOfYearClosure(year - 1 + i)).flat();
const calendar: WorkingCalendar = {
  ...HQ,
  closed: Object.fromEntries(closedDays(year - 1, year + 5, closures).map((d) => [d.date, d.reason])),
  through: `${year + 5}-12-31`,
  zones,
};

const secretariat: Actor = { id: 'measure', roles: ['secretariat'] };
const franceDirector: Actor = { id: 'nad-fra', roles: ['director'], nation: 'FRA' };

interface Seen {
  deadlines: { kind: string; at: number }[];
  messages: { kind: string; nation: NationCode | 'secretariat'; at: number }[];
}

/** Everything one recommendation's timer does, from the call for consensus to France's first progress request. */
function lifecycle(raisedAt: number, policy: Policy, pinned: WorkingCalendar | null): Seen {
  const seen: Seen = { deadlines: [], messages: [] };
  let state: RecommendationState = newRecommendation(
    'DIPB-2027-0001',
    {
      title: 'Measure',
      textHash: '0'.repeat(64),
      workingGroup: 'IC',
      language: 'en',
      nations: [...NATION_CODES],
      policy,
      rapporteur: null,
      ...(pinned ? { calendar: pinned } : {}),
    },
    actorAs(secretariat, 'secretariat'),
    new Date(raisedAt).toISOString(),
  );
  const take = (events: DomainEvent[], next: RecommendationState): void => {
    for (const e of events) {
      const at = instantMs(e.at);
      if (e.type === 'consensus-called' || e.type === 'approval-opened')
        seen.deadlines.push({
          kind: `${e.type === 'consensus-called' ? 'consensus' : 'approval'} silence`,
          at: instantMs(String(e.data.deadline)),
        });
      if (e.type === 'submitted') seen.deadlines.push({ kind: 'response', at: instantMs(String(e.data.responseDue)) });
      if (e.type === 'national-response') {
        const chase = next.tracks.find((t) => t.code === 'FRA')?.chase;
        if (chase) seen.deadlines.push({ kind: 'progress report', at: instantMs(chase.dueAt) });
      }
      if (e.type !== 'notification-due') continue;
      const kind = String(e.data.kind);
      if (kind === 'consensus-reminder' || kind === 'approval-reminder') {
        for (const n of NATION_CODES) seen.messages.push({ kind, nation: n, at });
        continue;
      }
      // Overdue notices: the first four of each nation (the fourth, with the default policy, escalates to the secretariat).
      const overdue = kind.endsWith('-overdue');
      if (overdue && seen.messages.filter((m) => m.kind === kind && m.nation === e.data.nation).length >= 4) continue;
      seen.messages.push({ kind, nation: e.data.nation as NationCode, at });
      if (e.data.escalate === true) seen.messages.push({ kind: 'escalation', nation: 'secretariat', at });
    }
  };
  let step = apply(state, secretariat, { type: 'call-consensus' }, raisedAt);
  take(step.events, step.state);
  state = step.state;
  let answered = false;
  for (let guard = 0; guard < 5000; guard++) {
    if (state.stage === 'approved') {
      step = apply(state, secretariat, { type: 'submit' }, instantMs(state.updatedAt));
      take(step.events, step.state);
      state = step.state;
      continue;
    }
    const due = nextDueAt(state);
    if (due === null) break;
    step = advance(state, due);
    take(step.events, step.state);
    state = step.state;
    if (!answered && state.submission && due >= instantMs(state.submission.responseDue)) {
      answered = true;
      step = apply(
        state,
        franceDirector,
        { type: 'respond', nation: 'FRA', decision: 'accepted', comment: 'Oui' },
        due,
      );
      take(step.events, step.state);
      state = step.state;
    }
    if (seen.messages.some((m) => m.kind === 'progress-request')) break;
  }
  return seen;
}

const clock = (t: DateTime): number => t.hour * 60 + t.minute;
const [opens, closes] = [HQ.opens, HQ.closes].map((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));

/** A deadline is badly placed on a closed day or outside 09:00–17:30 Brussels (17:30 itself is in). */
function badDeadline(at: number): boolean {
  const t = DateTime.fromMillis(at, { zone: HQ.zone });
  return closedReason(t, calendar) !== null || clock(t) < (opens ?? 0) || clock(t) > (closes ?? 0);
}

/** A message is out of hours on a weekend, an HQ closed day (for those in HQ's zone), or outside 09:00–17:30 there. */
function badMessage(at: number, nation: NationCode | 'secretariat'): boolean {
  const zone = nation === 'secretariat' ? HQ.zone : hoursOf(nation, calendar).zone;
  const t = DateTime.fromMillis(at, { zone });
  const closed = zone === HQ.zone ? closedReason(t, calendar) : t.weekday >= 6 ? 'weekend' : null;
  return closed !== null || clock(t) < (opens ?? 0) || clock(t) >= (closes ?? 0);
}

const before: Policy = {
  ...DEFAULT_POLICY,
  calendar: false,
  quietHours: false,
  silenceReminders: [...DEFAULT_POLICY.silenceReminders],
  responseReminders: [...DEFAULT_POLICY.responseReminders],
};
const after: Policy = { ...before, calendar: true, quietHours: true };

type Tally = Map<string, { all: number; bad: number }>;
const tally = (t: Tally, key: string, bad: boolean): void => {
  const row = t.get(key) ?? { all: 0, bad: 0 };
  row.all += 1;
  if (bad) row.bad += 1;
  t.set(key, row);
};
const results = { before: new Map() as Tally, after: new Map() as Tally };
const started = Date.now();
for (
  let day = DateTime.fromObject({ year, month: 1, day: 1, hour: 10 }, { zone: HQ.zone });
  day.year === year;
  day = day.plus({ days: 1 })
) {
  for (const [name, policy, pinned] of [
    ['before', before, null],
    ['after', after, calendar],
  ] as const) {
    const seen = lifecycle(day.toMillis(), policy, pinned);
    for (const d of seen.deadlines) tally(results[name], `deadline: ${d.kind}`, badDeadline(d.at));
    for (const m of seen.messages) tally(results[name], `message: ${m.kind}`, badMessage(m.at, m.nation));
  }
}

const pct = (r: { all: number; bad: number } | undefined): string =>
  r
    ? `${String(r.bad).padStart(6)} / ${String(r.all).padEnd(6)} ${((100 * r.bad) / Math.max(r.all, 1)).toFixed(1).padStart(5)}%`
    : '—';
console.log(`Recommendations raised on each of the ${year} days at 10:00 Brussels, default policy, 32 Allies`);
console.log(
  `(a deadline is bad on a closed day or outside ${HQ.opens}–${HQ.closes} Brussels; a message, outside those hours or on a weekend in the recipient's zone, or an HQ closed day in Brussels' zone)\n`,
);
console.log(`${'what'.padEnd(36)} ${'before: bad / all'.padEnd(22)} after: bad / all`);
const keys = [...new Set([...results.before.keys(), ...results.after.keys()])].sort();
const sum = (t: Tally, prefix: string): { all: number; bad: number } =>
  [...t.entries()]
    .filter(([k]) => k.startsWith(prefix))
    .reduce((a, [, r]) => ({ all: a.all + r.all, bad: a.bad + r.bad }), { all: 0, bad: 0 });
for (const k of keys)
  console.log(`${k.padEnd(36)} ${pct(results.before.get(k)).padEnd(22)} ${pct(results.after.get(k))}`);
for (const p of ['deadline', 'message'])
  console.log(`${`all ${p}s`.padEnd(36)} ${pct(sum(results.before, p)).padEnd(22)} ${pct(sum(results.after, p))}`);
console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
