import { Injectable } from '@nestjs/common';
import type { ActorRef, NationCode } from '@app/domain';
import { DataSource } from 'typeorm';

/** One of NATO HQ's own closure days (Belgian public holidays and weekends are not stored). */
export interface ClosureDay {
  date: string;
  reason: string;
}

/** One accepted change of a closure day, with who made it: the reason before and after (null: none). */
export interface CalendarChange {
  id: string;
  date: string;
  actor: ActorRef;
  at: string;
  before: string | null;
  after: string | null;
}

interface ChangeRow {
  id: string;
  date: string;
  actor: ActorRef;
  at: Date;
  before: string | null;
  after: string | null;
}

/**
 * NATO HQ's closure days, kept by the secretariat, and the nations' zones. Each change and its trail
 * row are written in one transaction; a change that names the reason a day already has is recorded too
 * (someone confirmed it). Dates are plain calendar dates (`to_char`, never a JavaScript Date).
 */
@Injectable()
export class CalendarRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Closure days from `from` to `to` (inclusive), by date. */
  closureDays(from: string, to: string): Promise<ClosureDay[]> {
    return this.dataSource.query<ClosureDay[]>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS date, reason FROM closure_days WHERE day BETWEEN $1 AND $2 ORDER BY day`,
      [from, to],
    );
  }

  /** Makes `date` a closure day for `reason` (or changes its reason). */
  setClosureDay(date: string, reason: string, by: ActorRef): Promise<ClosureDay> {
    return this.dataSource.transaction(async (m) => {
      const [before] = await m.query<{ reason: string }[]>(
        `SELECT reason FROM closure_days WHERE day = $1 FOR UPDATE`,
        [date],
      );
      await m.query(
        `INSERT INTO closure_days (day, reason) VALUES ($1, $2)
         ON CONFLICT (day) DO UPDATE SET reason = excluded.reason, updated_at = clock_timestamp()`,
        [date, reason],
      );
      await m.query(`INSERT INTO calendar_changes (day, actor, before, after) VALUES ($1, $2::jsonb, $3, $4)`, [
        date,
        JSON.stringify(by),
        before?.reason ?? null,
        reason,
      ]);
      return { date, reason };
    });
  }

  /** Opens `date` again; false when it was not a closure day (nothing is recorded then). */
  removeClosureDay(date: string, by: ActorRef): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [removed] = await m.query<[{ reason: string }[], number]>(
        `DELETE FROM closure_days WHERE day = $1 RETURNING reason`,
        [date],
      );
      const before = removed[0];
      if (!before) return false;
      await m.query(`INSERT INTO calendar_changes (day, actor, before, after) VALUES ($1, $2::jsonb, $3, NULL)`, [
        date,
        JSON.stringify(by),
        before.reason,
      ]);
      return true;
    });
  }

  /** Every change of the closure days, newest first. */
  async changes(): Promise<CalendarChange[]> {
    const rows = await this.dataSource.query<ChangeRow[]>(
      `SELECT id::text AS id, to_char(day, 'YYYY-MM-DD') AS date, actor, at, before, after
         FROM calendar_changes ORDER BY at DESC, id DESC`,
    );
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }

  /** Each nation's time zone. */
  async zones(): Promise<Record<NationCode, string>> {
    const rows = await this.dataSource.query<{ code: NationCode; time_zone: string }[]>(
      `SELECT code, time_zone FROM nations ORDER BY code`,
    );
    return Object.fromEntries(rows.map((r) => [r.code, r.time_zone])) as Record<NationCode, string>;
  }
}
