import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed's order: each event carries the id of the transaction that wrote it (`xid8`, which
 * never wraps), and the feed reads in (tx, id) order only below the oldest transaction still running
 * (`pg_snapshot_xmin`), so a reader never passes an event that commits later. docs/design.md, "The
 * change feed". Rows written before this migration all carry its own transaction's id: they come
 * first, in id order.
 */
export class ChangeFeed1767225600024 implements MigrationInterface {
  name = 'ChangeFeed1767225600024';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await q.query(`CREATE INDEX events_feed_idx ON events (tx, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_feed_idx`);
    await q.query(`ALTER TABLE events DROP COLUMN tx`);
  }
}
