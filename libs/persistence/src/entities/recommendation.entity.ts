import type { Language, NationCode, RecommendationView, Stage, WorkingGroup } from '@app/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The read model of one recommendation: the workflow's last projected view plus the columns the list
 * filters on. The generated `search` tsvector is left out of the entity on purpose (it is only read
 * in SQL, and TypeORM must never try to write it).
 */
@Entity({ name: 'recommendations' })
export class RecommendationEntity {
  @PrimaryColumn({ type: 'text' })
  reference!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'working_group', type: 'text' })
  workingGroup!: WorkingGroup;

  @Column({ type: 'text' })
  language!: Language;

  @Column({ type: 'text' })
  stage!: Stage;

  @Column({ type: 'int' })
  revision!: number;

  @Column({ name: 'target_nations', type: 'text', array: true })
  targetNations!: NationCode[];

  @Column({ name: 'pending_nations', type: 'text', array: true })
  pendingNations!: NationCode[];

  @Column({ type: 'boolean' })
  overdue!: boolean;

  @Column({ name: 'next_deadline', type: 'timestamptz', nullable: true })
  nextDeadline!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'jsonb' })
  view!: RecommendationView;

  /** The highest event seq applied: a projection with an older view never overwrites a newer one. */
  @Column({ type: 'int' })
  version!: number;
}
