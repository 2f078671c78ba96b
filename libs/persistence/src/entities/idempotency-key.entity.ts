import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A client's Idempotency-Key, per scope (e.g. `raise`), with the hash of the body it came with. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'text' })
  scope!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
