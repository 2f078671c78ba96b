import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface IdempotencyRecord {
  scope: string;
  key: string;
  requestHash: string;
  reference: string;
  createdAt: Date;
}

export interface Remembered {
  /** True when this call stored the key; false when it was already there (then `record` is the first). */
  created: boolean;
  record: IdempotencyRecord;
}

interface Row {
  scope: string;
  key: string;
  request_hash: string;
  reference: string;
  created_at: Date;
}

const toRecord = (r: Row): IdempotencyRecord => ({
  scope: r.scope,
  key: r.key,
  requestHash: r.request_hash,
  reference: r.reference,
  createdAt: r.created_at,
});

/** Client Idempotency-Keys, per scope (e.g. `raise`). The caller compares `requestHash` to answer 422. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(scope: string, key: string): Promise<IdempotencyRecord | null> {
    const rows = await this.dataSource.query<Row[]>(
      'SELECT scope, key, request_hash, reference, created_at FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Stores the key, or returns the one stored first: atomic, so two racing requests agree on one reference. */
  async remember(scope: string, key: string, requestHash: string, reference: string): Promise<Remembered> {
    const inserted = await this.dataSource.query<Row[]>(
      `INSERT INTO idempotency_keys (scope, key, request_hash, reference) VALUES ($1, $2, $3, $4)
       ON CONFLICT (scope, key) DO NOTHING
       RETURNING scope, key, request_hash, reference, created_at`,
      [scope, key, requestHash, reference],
    );
    if (inserted[0]) return { created: true, record: toRecord(inserted[0]) };
    const existing = await this.find(scope, key);
    if (!existing) throw new Error(`idempotency key ${scope}/${key} vanished after a conflict`);
    return { created: false, record: existing };
  }
}
