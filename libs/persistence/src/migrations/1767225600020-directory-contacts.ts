import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Everyone who is asked to act is in the directory like the directors: the senior national
 * representative (name, address, alternate) and, per working group, the nation's WG delegate (name,
 * address, alternate) in `wg_delegates` (from the old `wg_member_emails` lists: first address the
 * delegate, second the alternate). Each change of any of them goes to `directory_changes`, which now
 * says which contact changed (`contact`): `director`, `senior-rep` or `wg-delegate:<WG>`. The latest
 * change of a contact's addresses is also what revokes the personal links sent to it.
 *
 * A planned completion is what the nation wrote: a calendar date (2027-06-30) or, as answers recorded
 * before this change were, an instant; the column keeps the event's text as it is.
 */
export class DirectoryContacts1767225600020 implements MigrationInterface {
  name = 'DirectoryContacts1767225600020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE nations ADD COLUMN senior_rep_name text, ADD COLUMN senior_rep_alternate_email text,
                   ADD COLUMN wg_delegates jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`
      UPDATE nations SET wg_delegates = coalesce((
        SELECT jsonb_object_agg(wg, jsonb_build_object('name', NULL, 'email', emails ->> 0, 'alternateEmail', emails ->> 1))
          FROM jsonb_each(wg_member_emails) AS e(wg, emails)
         WHERE jsonb_typeof(emails) = 'array' AND jsonb_array_length(emails) > 0), '{}')`);
    await q.query(`ALTER TABLE nations DROP COLUMN wg_member_emails`);

    await q.query(`ALTER TABLE directory_changes ADD COLUMN contact text NOT NULL DEFAULT 'director'
                   CHECK (contact ~ '^(director|senior-rep|wg-delegate:(IC|SCS|SI))$')`);
    await q.query(`CREATE INDEX directory_changes_contact_idx ON directory_changes (nation, contact, id DESC)`);

    await q.query(`ALTER TABLE national_responses ALTER COLUMN planned_completion TYPE text
                   USING to_char(planned_completion AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE national_responses ALTER COLUMN planned_completion TYPE timestamptz
                   USING (CASE WHEN planned_completion ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN planned_completion || 'T00:00:00Z' ELSE planned_completion END)::timestamptz`);
    await q.query(`DROP INDEX directory_changes_contact_idx`);
    // The trail keeps every change; the column that says whose it was goes (the rows stay).
    await q.query(`ALTER TABLE directory_changes DROP COLUMN contact`);
    await q.query(`ALTER TABLE nations ADD COLUMN wg_member_emails jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`
      UPDATE nations SET wg_member_emails = coalesce((
        SELECT jsonb_object_agg(wg, (SELECT coalesce(jsonb_agg(a), '[]') FROM jsonb_array_elements_text(
                 jsonb_build_array(d ->> 'email', d ->> 'alternateEmail')) AS x(a) WHERE a IS NOT NULL))
          FROM jsonb_each(wg_delegates) AS e(wg, d)), '{}')`);
    await q.query(
      `ALTER TABLE nations DROP COLUMN wg_delegates, DROP COLUMN senior_rep_name, DROP COLUMN senior_rep_alternate_email`,
    );
  }
}
