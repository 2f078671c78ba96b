import { HQ_WEEKENDS } from '@app/domain';
import Holidays from 'date-holidays';

/** NATO HQ's zone and working hours (the domain's): silence procedures are written "by 17:30 Brussels time". */
export const HQ = { zone: HQ_WEEKENDS.zone, opens: HQ_WEEKENDS.opens, closes: HQ_WEEKENDS.closes } as const;

export type ClosedDaySource = 'belgian-public-holiday' | 'nato-hq-closure';

/** A day NATO HQ is closed (other than a weekend), and why. */
export interface ClosedDay {
  date: string;
  reason: string;
  source: ClosedDaySource;
}

const belgium = new Holidays('BE');

/** Belgium's public holidays of `year` (not observances nor bank holidays), in English, from `date-holidays`. */
export function belgianPublicHolidays(year: number): ClosedDay[] {
  return belgium
    .getHolidays(year, 'en')
    .filter((h) => h.type === 'public')
    .map((h) => ({ date: h.date.slice(0, 10), reason: h.name, source: 'belgian-public-holiday' as const }));
}

/** The closed days of years `from`…`to`: NATO HQ's own closure days, and Belgian public holidays on other days. */
export function closedDays(from: number, to: number, closures: { date: string; reason: string }[]): ClosedDay[] {
  const byDate = new Map<string, ClosedDay>();
  for (let year = from; year <= to; year++) for (const h of belgianPublicHolidays(year)) byDate.set(h.date, h);
  for (const c of closures) byDate.set(c.date, { ...c, source: 'nato-hq-closure' });
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}
