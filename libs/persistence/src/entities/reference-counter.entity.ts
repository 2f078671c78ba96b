import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last sequence number handed out per year, for `DIPB-<year>-<seq>`. */
@Entity({ name: 'reference_counters' })
export class ReferenceCounterEntity {
  @PrimaryColumn({ type: 'int' })
  year!: number;

  @Column({ type: 'int' })
  last!: number;
}
