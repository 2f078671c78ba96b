import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The list filtered by stage and working group together (the secretariat's commonest view: "SCS in
 * consensus") read in order from one index, for its page and for its capped count, instead of the
 * stage index filtered row by row. Each other filter has its own: stage, working group, target and
 * pending nations (GIN), overdue (partial), the text search (GIN on texts).
 */
export class ListByStageAndGroup1767225600021 implements MigrationInterface {
  name = 'ListByStageAndGroup1767225600021';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX recommendations_stage_wg_idx ON recommendations (stage, working_group, created_at DESC, reference DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX recommendations_stage_wg_idx`);
  }
}
