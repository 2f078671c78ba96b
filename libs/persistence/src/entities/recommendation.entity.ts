import type { Language, NationCode, RecommendationState, Stage, StateView, WorkingGroup } from '@app/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The read model of one recommendation: the state folded from its events, its view (without the
 * text, which is in `texts` under `textHash`) and the columns the list filters on.
 */
@Entity({ name: 'recommendations' })
export class RecommendationEntity {
  @PrimaryColumn({ type: 'text' })
  reference!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ type: 'text' })
  title!: string;

  /** The current revision's text, in `texts`. */
  @Column({ name: 'text_hash', type: 'text' })
  textHash!: string;

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
  view!: StateView;

  /** The workflow's state as folded by `evolve` from the events up to `version` (the column is nullable). */
  @Column({ type: 'jsonb', nullable: true })
  state!: RecommendationState | null;

  /** The highest event seq applied: a projection with an older view never overwrites a newer one. */
  @Column({ type: 'int' })
  version!: number;
}
