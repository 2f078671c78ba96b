import type { ActorRef, Decision, NationCode } from '@app/domain';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The history of a nation's responses, interim ones (under-consideration) included. */
@Entity({ name: 'national_responses' })
export class NationalResponseEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ name: 'event_seq', type: 'int' })
  eventSeq!: number;

  @Column({ type: 'text' })
  nation!: NationCode;

  @Column({ type: 'text' })
  decision!: Decision;

  @Column({ type: 'text' })
  comment!: string;

  @Column({ name: 'planned_completion', type: 'timestamptz', nullable: true })
  plannedCompletion!: Date | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'jsonb' })
  actor!: ActorRef;
}
