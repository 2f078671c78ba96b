import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages prepared ahead of their due instant: the outbox row is written when the message is
 * planned, with the message already composed (`raw`, RFC 5322) for its first address, so that at
 * the due instant sending it costs one SMTP transaction and one small update. `prepared_at` tells
 * whether the directory changed since (then the message is composed again at sending).
 */
export class PreparedMessages1767225600004 implements MigrationInterface {
  name = 'PreparedMessages1767225600004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN raw bytea, ADD COLUMN prepared_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP COLUMN raw, DROP COLUMN prepared_at`);
  }
}
