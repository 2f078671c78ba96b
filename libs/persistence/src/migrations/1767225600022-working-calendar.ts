import type { MigrationInterface, QueryRunner } from 'typeorm';
import { nationSeeds } from '../nations.seed';

/**
 * NATO HQ's working calendar as data the secretariat keeps: its own closure days (Belgian public
 * holidays come from `date-holidays`, weekends by rule), each change in an append-only trail like the
 * directory's; and each nation's time zone (its capital's, from nations.json), in which its people are
 * reminded.
 *
 * Seeded with the end-of-year closure (the working days from 24 to 31 December) of 2026 and 2027,
 * for the secretariat to confirm or correct: it publishes the next year's closures itself.
 */
export class WorkingCalendar1767225600022 implements MigrationInterface {
  name = 'WorkingCalendar1767225600022';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE nations ADD COLUMN time_zone text NOT NULL DEFAULT 'Europe/Brussels'`);
    // The Allies already in the directory take their capital's zone; those seeded later get it from the seed.
    for (const { code, timeZone } of nationSeeds())
      await q.query(`UPDATE nations SET time_zone = $2 WHERE code = $1`, [code, timeZone]);
    await q.query(`
      CREATE TABLE closure_days (
        day        date PRIMARY KEY,
        reason     text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 200),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`
      CREATE TABLE calendar_changes (
        id     bigserial PRIMARY KEY,
        day    date NOT NULL,
        actor  jsonb NOT NULL CHECK (jsonb_typeof(actor) = 'object' AND coalesce(actor ->> 'id', '') <> '' AND actor ? 'role'),
        at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        before text,
        after  text
      )`);
    await q.query(`CREATE INDEX calendar_changes_at_idx ON calendar_changes (at DESC, id DESC)`);
    await q.query(`
      CREATE FUNCTION dipb_calendar_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the calendar change log is append-only (% on calendar_changes refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER calendar_changes_append_only BEFORE UPDATE OR DELETE ON calendar_changes
      FOR EACH ROW EXECUTE FUNCTION dipb_calendar_changes_append_only()`);
    await q.query(`
      INSERT INTO closure_days (day, reason)
      SELECT d::date, 'NATO HQ end-of-year closure'
        FROM generate_series('2026-12-24'::date, '2026-12-31'::date, interval '1 day') AS d
       WHERE extract(isodow FROM d) < 6 AND d::date <> '2026-12-25'
      UNION ALL
      SELECT d::date, 'NATO HQ end-of-year closure'
        FROM generate_series('2027-12-24'::date, '2027-12-31'::date, interval '1 day') AS d
       WHERE extract(isodow FROM d) < 6 AND d::date <> '2027-12-25'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_changes`);
    await q.query(`DROP FUNCTION dipb_calendar_changes_append_only()`);
    await q.query(`DROP TABLE closure_days`);
    await q.query(`ALTER TABLE nations DROP COLUMN time_zone`);
  }
}
