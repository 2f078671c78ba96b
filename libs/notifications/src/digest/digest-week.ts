import type { DigestWindow } from '@app/persistence';
import { DateTime } from 'luxon';
import { BRUSSELS } from '../dates';

export interface DigestWeek {
  /** ISO week of the digest's instant in Brussels, e.g. `2026-W49`: the message's identity. */
  id: string;
  year: number;
  number: number;
  /** The 7 days before the instant (Monday 08:00 to Monday 08:00 for a scheduled run), and the 14 after. */
  window: DigestWindow;
}

export const DIGEST_KIND = 'weekly-digest';

/** The outbox identity of a week's digest: one message per week, whatever the language or the run. */
export function digestIdentity(week: DigestWeek): string {
  return `${DIGEST_KIND}/${week.id}`;
}

export function digestWeek(scheduledAt: string): DigestWeek {
  const t = DateTime.fromISO(scheduledAt, { zone: 'utc' }).setZone(BRUSSELS);
  if (!t.isValid) throw new Error(`not an ISO 8601 instant: ${scheduledAt}`);
  const iso = (d: DateTime): string => d.toUTC().toISO() ?? '';
  return {
    id: `${t.weekYear}-W${String(t.weekNumber).padStart(2, '0')}`,
    year: t.weekYear,
    number: t.weekNumber,
    // Calendar arithmetic in Brussels: the week across a change to or from summer time is still Monday 08:00 to Monday 08:00.
    window: { from: iso(t.minus({ weeks: 1 })), to: iso(t), horizon: iso(t.plus({ days: 14 })) },
  };
}
