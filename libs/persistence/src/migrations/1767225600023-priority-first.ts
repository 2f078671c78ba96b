import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The list's keyset indexes: their equality columns, then the list's order (before and after). */
const LIST_INDEXES: [name: string, equal: string, where?: string][] = [
  ['recommendations_created_idx', ''],
  ['recommendations_stage_idx', 'stage, '],
  ['recommendations_wg_idx', 'working_group, '],
  ['recommendations_stage_wg_idx', 'stage, working_group, '],
  ['recommendations_overdue_idx', '', 'overdue'],
];
const NEWEST_FIRST = 'created_at DESC, reference DESC';
const PRIORITY_FIRST = `priority DESC, ${NEWEST_FIRST}`;

/**
 * Priority recommendations: a column of the read model, set from the view, and the list's order
 * (priority first, then newest first) served by the same keyset indexes with `priority` in front.
 * Filters put in front of it (stage, working group) keep their place: an equality before the order.
 */
export class PriorityFirst1767225600023 implements MigrationInterface {
  name = 'PriorityFirst1767225600023';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recommendations ADD COLUMN priority boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE recommendations SET priority = true WHERE (view ->> 'priority')::boolean`);
    for (const [name, equal, where] of LIST_INDEXES) {
      await q.query(`DROP INDEX ${name}`);
      await q.query(
        `CREATE INDEX ${name} ON recommendations (${equal}${PRIORITY_FIRST})${where ? ` WHERE ${where}` : ''}`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name, equal, where] of LIST_INDEXES) {
      await q.query(`DROP INDEX ${name}`);
      await q.query(
        `CREATE INDEX ${name} ON recommendations (${equal}${NEWEST_FIRST})${where ? ` WHERE ${where}` : ''}`,
      );
    }
    await q.query(`ALTER TABLE recommendations DROP COLUMN priority`);
  }
}
