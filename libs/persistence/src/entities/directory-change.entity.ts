import type { ActorRef, Language, NationCode } from '@app/domain';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Which contact of a nation a change is about. */
export type ContactKey = 'director' | 'senior-rep' | `wg-delegate:${'IC' | 'SCS' | 'SI'}`;

/** A contact as the directory change log keeps it, before and after (the language is the nation's). */
export interface DirectorContact {
  name: string | null;
  email: string;
  alternateEmail: string | null;
  language: Language;
}

/** The directory's append-only audit trail: who changed a nation's director contact, when, from what to what. */
@Entity({ name: 'directory_changes' })
export class DirectoryChangeEntity {
  /** bigserial: pg returns int8 as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  nation!: NationCode;

  @Column({ type: 'text' })
  contact!: ContactKey;

  @Column({ type: 'jsonb' })
  actor!: ActorRef;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'jsonb' })
  before!: DirectorContact;

  @Column({ type: 'jsonb' })
  after!: DirectorContact;
}
