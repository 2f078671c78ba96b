import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export function formatReference(year: number, sequence: number): string {
  return `DIPB-${year}-${String(sequence).padStart(4, '0')}`;
}

/** Hands out `DIPB-<year>-<4-digit sequence>` references. */
@Injectable()
export class ReferenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The next reference of `year`. One atomic upsert: concurrent callers never get the same number,
   * and the counter row stays locked until the caller's transaction ends, so inside a transaction
   * that rolls back the number is given back (gapless). Outside one, a number is spent once taken.
   */
  async next(year: number, manager?: EntityManager): Promise<string> {
    if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new RangeError(`not a plausible year: ${year}`);
    const runner = manager ?? this.dataSource.manager;
    const rows = await runner.query<{ last: number }[]>(
      `INSERT INTO reference_counters AS c (year, last) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last = c.last + 1
       RETURNING last`,
      [year],
    );
    const last = rows[0]?.last;
    if (last === undefined) throw new Error('reference counter did not return a value');
    return formatReference(year, last);
  }
}
