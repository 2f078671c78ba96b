import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A revision's text, stored once and addressed by its hash (sha256 of `title NUL summary NUL body`):
 * the claim check that keeps texts out of Temporal history. Immutable. The generated `search`
 * tsvector is left out of the entity (it is only read in SQL, and TypeORM must never write it).
 */
@Entity({ name: 'texts' })
export class TextEntity {
  @PrimaryColumn({ type: 'text' })
  hash!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
