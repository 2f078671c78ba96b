import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Texts out of Temporal history (claim check), and the state the delivery checks against.
 *
 * - `texts`: each revision's text once, addressed by the sha256 of `title NUL summary NUL body`
 *   (UTF-8; NUL cannot occur in a text, the API refuses it). Written by the API before the command
 *   that introduces it; never changed or deleted. Full-text search moves here, computed once per
 *   text instead of on every update of the recommendation's row.
 * - `revisions` and `recommendations` name their text by `text_hash` instead of copying it.
 * - `recommendations.state`: the workflow's state (without the text), folded by the projection
 *   with the same `evolve` the workflow runs; the delivery asks it whether a message is still due.
 * - `events.command_id`: the command an event came from, unique per recommendation, so a command
 *   retried with the same Idempotency-Key is answered once even after continue-as-new.
 * - `notifications.status` gains `dropped`: a message no longer due when its turn came.
 */
export class TextsByHash1767225600003 implements MigrationInterface {
  name = 'TextsByHash1767225600003';

  async up(q: QueryRunner): Promise<void> {
    // The hash as PostgreSQL computes it; the API computes the same in Node (TextsRepository).
    await q.query(`
      CREATE FUNCTION dipb_text_hash(title text, summary text, body text) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT encode(sha256(convert_to(title, 'UTF8') || '\\x00'::bytea || convert_to(summary, 'UTF8') || '\\x00'::bytea || convert_to(body, 'UTF8')), 'hex')
      $$`);
    await q.query(`
      CREATE TABLE texts (
        hash       text PRIMARY KEY,
        title      text NOT NULL,
        summary    text NOT NULL,
        body       text NOT NULL,
        search     tsvector GENERATED ALWAYS AS (dipb_search_document(title, summary, body)) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- A text is where its hash says: a claim check nobody can forge.
        CONSTRAINT texts_hash_matches CHECK (hash = dipb_text_hash(title, summary, body))
      )`);
    await q.query(`CREATE INDEX texts_search_idx ON texts USING gin (search)`);
    await q.query(`
      CREATE FUNCTION dipb_texts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'texts are immutable (% on texts refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER texts_immutable BEFORE UPDATE OR DELETE ON texts
      FOR EACH ROW EXECUTE FUNCTION dipb_texts_immutable()`);

    // Every revision's text, once.
    await q.query(`
      INSERT INTO texts (hash, title, summary, body)
      SELECT DISTINCT dipb_text_hash(title, summary, body), title, summary, body FROM revisions
      ON CONFLICT (hash) DO NOTHING`);
    await q.query(`ALTER TABLE revisions ADD COLUMN text_hash text REFERENCES texts (hash)`);
    await q.query(`UPDATE revisions SET text_hash = dipb_text_hash(title, summary, body)`);
    await q.query(`ALTER TABLE revisions ALTER COLUMN text_hash SET NOT NULL`);
    await q.query(`ALTER TABLE revisions DROP COLUMN title, DROP COLUMN summary, DROP COLUMN body`);

    // The read model names its current text; its copy of the text and its search column go.
    await q.query(
      `ALTER TABLE recommendations ADD COLUMN text_hash text REFERENCES texts (hash), ADD COLUMN state jsonb`,
    );
    await q.query(`
      INSERT INTO texts (hash, title, summary, body)
      SELECT DISTINCT dipb_text_hash(title, summary, body), title, summary, body FROM recommendations
      ON CONFLICT (hash) DO NOTHING`);
    await q.query(
      `UPDATE recommendations SET text_hash = dipb_text_hash(title, summary, body), view = view - 'summary' - 'body'`,
    );
    await q.query(`ALTER TABLE recommendations ALTER COLUMN text_hash SET NOT NULL`);
    await q.query(`DROP INDEX recommendations_search_idx`);
    await q.query(`ALTER TABLE recommendations DROP COLUMN search, DROP COLUMN summary, DROP COLUMN body`);
    await q.query(`CREATE INDEX recommendations_text_idx ON recommendations (text_hash)`);

    await q.query(`ALTER TABLE events ADD COLUMN command_id text`);
    await q.query(`CREATE INDEX events_command_idx ON events (reference, command_id) WHERE command_id IS NOT NULL`);

    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_status_check`);
    await q.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sent', 'failed', 'skipped', 'dropped'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE notifications SET status = 'skipped' WHERE status = 'dropped'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_status_check`);
    await q.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sent', 'failed', 'skipped'))`,
    );
    await q.query(`DROP INDEX events_command_idx`);
    await q.query(`ALTER TABLE events DROP COLUMN command_id`);

    await q.query(`DROP INDEX recommendations_text_idx`);
    await q.query(`ALTER TABLE recommendations ADD COLUMN summary text, ADD COLUMN body text`);
    await q.query(`
      UPDATE recommendations r SET summary = t.summary, body = t.body,
             view = r.view || jsonb_build_object('summary', t.summary, 'body', t.body)
        FROM texts t WHERE t.hash = r.text_hash`);
    await q.query(`ALTER TABLE recommendations ALTER COLUMN summary SET NOT NULL, ALTER COLUMN body SET NOT NULL`);
    await q.query(
      `ALTER TABLE recommendations ADD COLUMN search tsvector GENERATED ALWAYS AS (dipb_search_document(title, summary, body)) STORED`,
    );
    await q.query(`CREATE INDEX recommendations_search_idx ON recommendations USING gin (search)`);
    await q.query(`ALTER TABLE recommendations DROP COLUMN text_hash, DROP COLUMN state`);

    await q.query(`ALTER TABLE revisions ADD COLUMN title text, ADD COLUMN summary text, ADD COLUMN body text`);
    await q.query(
      `UPDATE revisions r SET title = t.title, summary = t.summary, body = t.body FROM texts t WHERE t.hash = r.text_hash`,
    );
    await q.query(
      `ALTER TABLE revisions ALTER COLUMN title SET NOT NULL, ALTER COLUMN summary SET NOT NULL, ALTER COLUMN body SET NOT NULL`,
    );
    await q.query(`ALTER TABLE revisions DROP COLUMN text_hash`);

    await q.query(`DROP TABLE texts`);
    await q.query(`DROP FUNCTION dipb_texts_immutable()`);
    await q.query(`DROP FUNCTION dipb_text_hash(text, text, text)`);
  }
}
