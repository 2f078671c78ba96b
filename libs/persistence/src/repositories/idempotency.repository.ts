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

/** A command's key as `rememberCommand` finds it. */
export interface RememberedCommand extends Remembered {
  /** True when the event log already holds an event of this command: an earlier attempt took effect. */
  recorded: boolean;
}

interface Row {
  scope: string;
  key: string;
  request_hash: string;
  reference: string;
  created_at: Date;
}

/**
 * The key stored, or the one stored first, and whether the command is already in the event log: one
 * statement. `inserted` is empty when the key was there; then the stored row is read instead (a
 * statement's reads do not see its own insert, so the two branches never both give a row).
 */
const REMEMBER_COMMAND_SQL = `
  WITH inserted AS (
    INSERT INTO idempotency_keys (scope, key, request_hash, reference) VALUES ($1, $2, $3, $4)
    ON CONFLICT (scope, key) DO NOTHING
    RETURNING scope, key, request_hash, reference, created_at
  ), kept AS (
    SELECT scope, key, request_hash, reference, created_at, true AS created FROM inserted
    UNION ALL
    SELECT scope, key, request_hash, reference, created_at, false AS created FROM idempotency_keys
     WHERE scope = $1 AND key = $2 AND NOT EXISTS (SELECT FROM inserted)
  )
  SELECT kept.*, EXISTS (SELECT FROM events WHERE reference = $4 AND command_id = $5) AS recorded FROM kept`;

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

  /**
   * `remember` for a command, with the answer to "is this command already recorded?" (`events.command_id`),
   * in one round trip instead of two or three. A key a concurrent request stored after this statement's
   * snapshot conflicts yet cannot be read in the same statement: the statement is then run again, and
   * sees it.
   */
  async rememberCommand(
    scope: string,
    key: string,
    requestHash: string,
    reference: string,
    commandId: string,
  ): Promise<RememberedCommand> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const rows = await this.dataSource.query<(Row & { created: boolean; recorded: boolean })[]>(
        REMEMBER_COMMAND_SQL,
        [scope, key, requestHash, reference, commandId],
      );
      const row = rows[0];
      if (row) return { created: row.created, record: toRecord(row), recorded: row.recorded };
    }
    throw new Error(`idempotency key ${scope}/${key} vanished after a conflict`);
  }
}
