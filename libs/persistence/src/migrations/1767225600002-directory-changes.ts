import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory's audit trail: one row per accepted change of a nation's director contact, with who
 * made it (the same actor shape as `events.actor`) and the contact before and after. Written in the
 * transaction that changes the `nations` row, so the two never disagree.
 *
 * Append-only like `events`, and like it without a foreign key: the trail outlives whatever happens
 * to the directory row. The actor must name someone: a change nobody made is refused.
 */
export class DirectoryChanges1767225600002 implements MigrationInterface {
  name = 'DirectoryChanges1767225600002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_changes (
        id     bigserial PRIMARY KEY,
        nation text NOT NULL CHECK (nation ~ '^[A-Z]{3}$'),
        actor  jsonb NOT NULL CHECK (jsonb_typeof(actor) = 'object' AND coalesce(actor ->> 'id', '') <> '' AND actor ? 'role'),
        at     timestamptz NOT NULL DEFAULT now(),
        before jsonb NOT NULL,
        after  jsonb NOT NULL
      )`);
    // A nation's changes, newest first.
    await q.query(`CREATE INDEX directory_changes_nation_idx ON directory_changes (nation, at DESC, id DESC)`);
    await q.query(`
      CREATE FUNCTION dipb_directory_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the directory change log is append-only (% on directory_changes refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER directory_changes_append_only BEFORE UPDATE OR DELETE ON directory_changes
      FOR EACH ROW EXECUTE FUNCTION dipb_directory_changes_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE directory_changes`);
    await q.query(`DROP FUNCTION dipb_directory_changes_append_only()`);
  }
}
