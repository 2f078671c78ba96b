import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DigestOutboxEntry {
  identity: string;
  /** What the row is filed under in `notifications.reference` (not a recommendation). */
  reference: string;
  kind: string;
  dueAt: string;
}

export interface DigestSent {
  address: string;
  language: 'en' | 'fr';
  messageId: string;
  sentAt: Date;
}

export interface DigestOutboxResult {
  status: 'sent' | 'already-sent';
  address: string | null;
  messageId: string | null;
  sentAt: string | null;
}

interface OutboxRow {
  status: string;
  address: string | null;
  message_id: string | null;
  sent_at: Date | null;
}

/**
 * The digest's row in the `notifications` outbox, keyed by its identity (the week). The row is
 * locked for the length of the send and marked `sent` in the same transaction, as recommendation
 * messages are: a concurrent or later run of the same week waits on the lock, then finds `sent`.
 */
@Injectable()
export class DigestOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  async status(identity: string): Promise<DigestOutboxResult | null> {
    const [row] = await this.dataSource.query<OutboxRow[]>(
      `SELECT status, address, message_id, sent_at FROM notifications WHERE identity = $1`,
      [identity],
    );
    return row ? toResult(row) : null;
  }

  /** Runs `send` unless the entry was sent already; `send` throwing leaves the row pending (and counts the attempt). */
  async sendOnce(entry: DigestOutboxEntry, send: () => Promise<DigestSent>): Promise<DigestOutboxResult> {
    let failure: unknown = null;
    const result = await this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL lock_timeout = '60s'`);
      await m.query(
        `INSERT INTO notifications (identity, reference, kind, recipient, due_at, status)
         VALUES ($1, $2, $3, '{"role": "secretariat"}'::jsonb, $4, 'pending')
         ON CONFLICT (identity) DO NOTHING`,
        [entry.identity, entry.reference, entry.kind, entry.dueAt],
      );
      const [row] = await m.query<OutboxRow[]>(
        `SELECT status, address, message_id, sent_at FROM notifications WHERE identity = $1 FOR UPDATE`,
        [entry.identity],
      );
      if (!row) throw new Error(`outbox row ${entry.identity} vanished`);
      if (row.status === 'sent') return toResult(row);
      let sent: DigestSent;
      try {
        sent = await send();
      } catch (err) {
        failure = err;
        await m.query(`UPDATE notifications SET attempts = attempts + 1, last_error = $2 WHERE identity = $1`, [
          entry.identity,
          err instanceof Error ? err.message : String(err),
        ]);
        return null;
      }
      await m.query(
        `UPDATE notifications SET status = 'sent', address = $2, language = $3, message_id = $4, sent_at = $5,
                attempts = attempts + 1, last_error = NULL
          WHERE identity = $1`,
        [entry.identity, sent.address, sent.language, sent.messageId, sent.sentAt],
      );
      return {
        status: 'sent' as const,
        address: sent.address,
        messageId: sent.messageId,
        sentAt: sent.sentAt.toISOString(),
      };
    });
    if (result === null) throw failure;
    return result;
  }
}

function toResult(row: OutboxRow): DigestOutboxResult {
  return {
    status: 'already-sent',
    address: row.address,
    messageId: row.message_id,
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
  };
}
