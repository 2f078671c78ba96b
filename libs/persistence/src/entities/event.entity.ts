import type { ActorRef, EventType } from '@app/domain';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The append-only audit trail. (reference, seq) is unique: a retried projection writes an event once. */
@Entity({ name: 'events' })
export class EventEntity {
  /** bigserial: pg returns int8 as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ type: 'int' })
  seq!: number;

  @Column({ type: 'text' })
  type!: EventType;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'jsonb' })
  actor!: ActorRef;

  @Column({ type: 'int' })
  revision!: number;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  /** The command (its idempotency id) the event came from, when a command caused it. */
  @Column({ name: 'command_id', type: 'text', nullable: true })
  commandId!: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
