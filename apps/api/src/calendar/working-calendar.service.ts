import { CalendarRepository, type ClosureDay } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import type { ActorRef, WorkingCalendar } from '@app/domain';
import { closedDays, HQ, type ClosedDay } from './closed-days';

/** A recommendation's calendar covers the year it is raised in and five more (the longest step is five years). */
const YEARS_AHEAD = 5;

/** NATO HQ's working calendar: what a recommendation pins when raised, and what the secretariat keeps. */
@Injectable()
export class WorkingCalendarService {
  constructor(private readonly calendar: CalendarRepository) {}

  /** The closed days of one year, holidays and closures together. */
  async year(year: number): Promise<ClosedDay[]> {
    return closedDays(year, year, await this.calendar.closureDays(`${year}-01-01`, `${year}-12-31`));
  }

  /** The calendar a recommendation raised at `now` pins: this year and the next five, and the nations' zones. */
  async snapshot(now: Date): Promise<WorkingCalendar> {
    const from = now.getUTCFullYear();
    const to = from + YEARS_AHEAD;
    const [closures, zones] = await Promise.all([
      this.calendar.closureDays(`${from}-01-01`, `${to}-12-31`),
      this.calendar.zones(),
    ]);
    return {
      ...HQ,
      closed: Object.fromEntries(closedDays(from, to, closures).map((d) => [d.date, d.reason])),
      through: `${to}-12-31`,
      // Only the zones that differ from NATO HQ's: the rest go by its own.
      zones: Object.fromEntries(Object.entries(zones).filter(([, zone]) => zone !== HQ.zone)),
    };
  }

  setClosureDay(date: string, reason: string, by: ActorRef): Promise<ClosureDay> {
    return this.calendar.setClosureDay(date, reason, by);
  }

  removeClosureDay(date: string, by: ActorRef): Promise<boolean> {
    return this.calendar.removeClosureDay(date, by);
  }

  changes(): ReturnType<CalendarRepository['changes']> {
    return this.calendar.changes();
  }
}
