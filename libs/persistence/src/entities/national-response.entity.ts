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

  /** A calendar date (2027-06-30), or an instant for answers recorded before dates were accepted. */
  @Column({ name: 'planned_completion', type: 'text', nullable: true })
  plannedCompletion!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'jsonb' })
  actor!: ActorRef;
}
