import type { Language, NationCode, WorkingGroup } from '@app/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type WgMemberEmails = Partial<Record<WorkingGroup, string[]>>;

/** A person the directory holds for a nation: a director, a senior representative, a WG delegate. */
export interface ContactPerson {
  name: string | null;
  email: string;
  alternateEmail: string | null;
}

/** Each working group's delegate of a nation. */
export type WgDelegates = Partial<Record<WorkingGroup, ContactPerson>>;

/** The directory: one row per Ally, with its director's and delegates' addresses. */
@Entity({ name: 'nations' })
export class NationEntity {
  @PrimaryColumn({ type: 'text' })
  code!: NationCode;

  @Column({ name: 'name_en', type: 'text' })
  nameEn!: string;

  @Column({ name: 'name_fr', type: 'text' })
  nameFr!: string;

  /** The director's language of correspondence. */
  @Column({ type: 'text' })
  language!: Language;

  @Column({ name: 'director_name', type: 'text', nullable: true })
  directorName!: string | null;

  @Column({ name: 'director_email', type: 'text' })
  directorEmail!: string;

  @Column({ name: 'director_alternate_email', type: 'text', nullable: true })
  directorAlternateEmail!: string | null;

  @Column({ name: 'senior_rep_email', type: 'text', nullable: true })
  seniorRepEmail!: string | null;

  @Column({ name: 'senior_rep_name', type: 'text', nullable: true })
  seniorRepName!: string | null;

  @Column({ name: 'senior_rep_alternate_email', type: 'text', nullable: true })
  seniorRepAlternateEmail!: string | null;

  @Column({ name: 'wg_delegates', type: 'jsonb' })
  wgDelegates!: WgDelegates;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
