import type { ActorRef, NationCode, PositionKind } from '@app/domain';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Every position given in a WG consensus or senior-approval round, including ones later changed. */
@Entity({ name: 'positions' })
export class PositionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ name: 'event_seq', type: 'int' })
  eventSeq!: number;

  @Column({ type: 'text' })
  kind!: 'consensus' | 'approval';

  @Column({ type: 'int' })
  round!: number;

  @Column({ type: 'text' })
  nation!: NationCode;

  @Column({ type: 'text' })
  position!: PositionKind;

  @Column({ type: 'text' })
  comment!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'jsonb' })
  actor!: ActorRef;
}
