import type { ActorRef } from '@app/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The full text of every revision, numbered from 1 per recommendation. */
@Entity({ name: 'revisions' })
export class RevisionEntity {
  @PrimaryColumn({ type: 'text' })
  reference!: string;

  @PrimaryColumn({ type: 'int' })
  number!: number;

  /** The revision's text, in `texts`. */
  @Column({ name: 'text_hash', type: 'text' })
  textHash!: string;

  @Column({ type: 'text' })
  note!: string;

  @Column({ type: 'jsonb' })
  actor!: ActorRef;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
