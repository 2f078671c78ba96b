import type { ActorRef, NationCode, ProgressStatus } from '@app/domain';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Implementation progress reported by an accepting nation. */
@Entity({ name: 'progress_reports' })
export class ProgressReportEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ name: 'event_seq', type: 'int' })
  eventSeq!: number;

  @Column({ type: 'text' })
  nation!: NationCode;

  @Column({ type: 'text' })
  status!: ProgressStatus;

  @Column({ type: 'int', nullable: true })
  percent!: number | null;

  @Column({ type: 'text' })
  comment!: string;

  @Column({ name: 'evidence_url', type: 'text', nullable: true })
  evidenceUrl!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'jsonb' })
  actor!: ActorRef;
}
