import { quietly, withHeadquarters, type Quiet } from './calendar';
import type { NotificationKind } from './notification';
import type { Policy } from './policy';
import type { Chase, Round } from './recommendation';
import { durationMs, instantMs } from './time';

/** One point of a chase: a reminder before the due date, or an overdue notice after it. */
export interface ChaseSlot {
  at: number;
  kind: Extract<NotificationKind, 'response-reminder' | 'progress-request' | 'response-overdue' | 'progress-overdue'>;
  /** The secretariat is told too: at the `escalateAfter`-th overdue notice, and again every `escalateAfter` notices after it. */
  escalate: boolean;
}

/** One reminder of a silence procedure, before its deadline. */
export interface RoundSlot {
  at: number;
  kind: 'consensus-reminder' | 'approval-reminder';
}

const byDescendingLength = (a: string, b: string): number => durationMs(b) - durationMs(a);

/** Instants of the reminders before a chase's due date, earliest first. */
function remindersBefore(chase: Chase, policy: Policy): number[] {
  const due = instantMs(chase.dueAt);
  const before =
    chase.kind === 'response' ? [...policy.responseReminders].sort(byDescendingLength) : [policy.followUpReminder];
  return before.map((r) => due - durationMs(r));
}

/** Whether the k-th overdue notice (from 0) also tells the secretariat. */
export function escalatesAt(k: number, policy: Policy): boolean {
  const e = policy.escalateAfter;
  return k >= e && (k - e) % Math.max(e, 1) === 0;
}

/**
 * The i-th slot of a chase (from 0). A chase has no end: reminders before the due date, then an
 * overdue notice every `overdueEvery` for as long as the nation stays silent, with the secretariat
 * told at the `escalateAfter`-th notice and again at every further `escalateAfter` notices. Only an
 * answer, a report, a moved deadline, a closure or a withdrawal ends it. With `quiet`, a slot that
 * falls outside the nation's working hours waits for them.
 */
export function chaseSlot(chase: Chase, policy: Policy, i: number, quiet: Quiet | null = null): ChaseSlot {
  const before = remindersBefore(chase, policy);
  const reminder = before[i];
  if (reminder !== undefined)
    return {
      at: quietly(reminder, quiet),
      kind: chase.kind === 'response' ? 'response-reminder' : 'progress-request',
      escalate: false,
    };
  const k = i - before.length;
  const escalate = escalatesAt(k, policy);
  return {
    // An escalating notice also tells the secretariat: it waits for an hour that is working time for both.
    at: quietly(
      instantMs(chase.dueAt) + k * durationMs(policy.overdueEvery),
      escalate ? withHeadquarters(quiet) : quiet,
    ),
    kind: chase.kind === 'response' ? 'response-overdue' : 'progress-overdue',
    escalate,
  };
}

/**
 * The latest slot at or before `now` from index `next` on, or null when none has fallen due. Only
 * that one is sent: a worker that was down across several due dates sends one catch-up message,
 * not one per missed date.
 */
export function latestChaseSlot(
  chase: Chase,
  policy: Policy,
  next: number,
  now: number,
  quiet: Quiet | null = null,
): number | null {
  if (chaseSlot(chase, policy, next, quiet).at > now) return null;
  const before = remindersBefore(chase, policy);
  const due = instantMs(chase.dueAt);
  let latest: number;
  if (now >= due) latest = before.length + Math.floor((now - due) / durationMs(policy.overdueEvery));
  else latest = before.filter((at) => at <= now).length - 1;
  // Quiet hours only ever delay a slot, and keep their order: step back to the last one that has come.
  while (quiet && latest > next && chaseSlot(chase, policy, latest, quiet).at > now) latest -= 1;
  return Math.max(latest, next);
}

/** Whether any slot from `from` to `to` (inclusive) escalates: a catch-up over an escalation still tells the secretariat. */
export function escalatesBetween(chase: Chase, policy: Policy, from: number, to: number): boolean {
  const before = remindersBefore(chase, policy).length;
  for (let k = Math.max(0, from - before); k <= to - before; k++) if (escalatesAt(k, policy)) return true;
  return false;
}

/** How many slots of a chase have fallen due by `now` (the index of the next one). */
export function slotsDueBy(chase: Chase, policy: Policy, now: number, quiet: Quiet | null = null): number {
  const latest = latestChaseSlot(chase, policy, 0, now, quiet);
  return latest === null ? 0 : latest + 1;
}

/** Reminders of a silence procedure, before its deadline and after it opened. */
export function roundSlots(
  round: Round,
  policy: Policy,
  kind: RoundSlot['kind'],
  quiet: Quiet | null = null,
): RoundSlot[] {
  const deadline = instantMs(round.deadline);
  const opened = instantMs(round.openedAt);
  return [...policy.silenceReminders]
    .sort(byDescendingLength)
    .map((r) => ({ at: deadline - durationMs(r), kind }))
    .filter((s) => s.at > opened)
    .map((s) => ({ ...s, at: quietly(s.at, quiet) }))
    .filter((s) => s.at < deadline);
}

/** The latest slot at or before `now` from index `next` on (see `latestChaseSlot`). */
export function latestDueSlot(slots: { at: number }[], next: number, now: number): number | null {
  let found: number | null = null;
  for (let i = next; i < slots.length; i++) {
    const slot = slots[i];
    if (slot && slot.at <= now) found = i;
  }
  return found;
}
