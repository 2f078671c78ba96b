import type { Language, NotificationRequest, RecommendationState, WorkingGroup } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed', 'skipped', 'dropped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** One message's row in the outbox, keyed by the notification's identity. */
export interface OutboxRow {
  identity: string;
  status: NotificationStatus;
  address: string | null;
  message_id: string | null;
  sent_at: Date | null;
  last_error: string | null;
}

/** A claimed row, with the message prepared ahead when there is one. */
export interface ClaimedRow extends OutboxRow {
  /** The message composed when it was planned (RFC 5322), for `address`; null when not prepared. */
  raw: Buffer | null;
  language: Language | null;
  /** The recipient's nation's directory entry changed after the message was prepared: compose it again. */
  directory_changed: boolean;
  /** The recommendation's state now (the column is nullable). */
  state: RecommendationState | null;
}

/** A message prepared ahead of its due instant. */
export interface PreparedMessage {
  request: NotificationRequest;
  /** The addresses it is composed for (the first attempt: the director, or a WG's delegates). */
  addresses: string[];
  language: Language;
  messageId: string;
  raw: Buffer;
}

/** A nation's contacts, as the directory holds them at the moment of sending. */
export interface NationContact {
  code: string;
  nameEn: string;
  nameFr: string;
  language: Language;
  directorEmail: string | null;
  directorAlternateEmail: string | null;
  seniorRepEmail: string | null;
  seniorRepAlternateEmail: string | null;
  /** Each working group's delegate (address, alternate). */
  wgDelegates: Partial<
    Record<WorkingGroup, { name: string | null; email: string; alternateEmail: string | null }>
  > | null;
}

/** How long a second attempt at the same notification waits for the first to finish before retrying later. */
const LOCK_TIMEOUT = '60s';

/**
 * The outbox as one delivery sees it: inside the transaction that holds the message's row lock for
 * the length of the SMTP exchange (see `NotificationsService`). Every statement names the identity.
 */
export class OutboxTransaction {
  constructor(private readonly m: EntityManager) {}

  /** Inserts the row if it is new, then locks it: a concurrent attempt at the same identity waits here. */
  async claim(request: NotificationRequest): Promise<ClaimedRow> {
    // One statement whether or not the row exists (a message prepared ahead has one): the upsert locks
    // it for this transaction (as FOR UPDATE would), and the recommendation's state is read with it.
    const [row] = await this.m.query<ClaimedRow[]>(
      `WITH o AS (
         INSERT INTO notifications (identity, reference, kind, recipient, due_at, status)
         VALUES ($1, $2, $3, $4::jsonb, $5, 'pending')
         ON CONFLICT (identity) DO UPDATE SET status = notifications.status
         RETURNING identity, reference, recipient, status, address, message_id, sent_at, last_error, raw, language, prepared_at)
       SELECT o.identity, o.status, o.address, o.message_id, o.sent_at, o.last_error, o.raw, o.language,
              coalesce(d.updated_at > o.prepared_at, false) AS directory_changed, r.state
         FROM o
         LEFT JOIN nations d ON d.code = o.recipient ->> 'nation'
         LEFT JOIN recommendations r ON r.reference = o.reference`,
      [request.identity, request.reference, request.kind, JSON.stringify(request.recipient), request.dueAt],
    );
    if (!row) throw new Error(`outbox row ${request.identity} vanished`);
    return row;
  }

  /** The recommendation's state as last committed (read again, not the claim's), null if it has none. */
  async state(reference: string): Promise<RecommendationState | null> {
    const [row] = await this.m.query<{ state: RecommendationState | null }[]>(
      `SELECT state FROM recommendations WHERE reference = $1`,
      [reference],
    );
    return row?.state ?? null;
  }

  /** No longer owed when its turn came: never sent. */
  async dropped(identity: string, reason: string): Promise<OutboxRow> {
    return this.update(`status = 'dropped', last_error = $2, raw = NULL`, identity, [reason]);
  }

  /** No address to send to. */
  async skipped(identity: string, reason: string, language: Language): Promise<OutboxRow> {
    return this.update(`status = 'skipped', last_error = $2, language = $3`, identity, [reason, language]);
  }

  /** SMTP could not take it now; committed with the attempt so the preview shows why. */
  async attemptFailed(identity: string, error: string): Promise<void> {
    await this.update(`attempts = attempts + 1, last_error = $2`, identity, [error]);
  }

  async sent(
    identity: string,
    sent: { address: string; language: Language; messageId: string; at: Date; note: string | null },
  ): Promise<OutboxRow> {
    return this.update(
      `status = 'sent', address = $2, language = $3, message_id = $4, sent_at = $5, attempts = attempts + 1, last_error = $6, raw = NULL`,
      identity,
      [sent.address, sent.language, sent.messageId, sent.at, sent.note],
    );
  }

  /** Refused by every address. */
  async failed(
    identity: string,
    failed: { address: string | null; language: Language; messageId: string; reason: string },
  ): Promise<OutboxRow> {
    return this.update(
      `status = 'failed', address = $2, language = $3, message_id = $4, attempts = attempts + 1, last_error = $5`,
      identity,
      [failed.address, failed.language, failed.messageId, failed.reason],
    );
  }

  /** A nation's contacts, read in this transaction (null when the nation is not in the directory). */
  async nation(code: string): Promise<NationContact | null> {
    return nationContact(this.m, code);
  }

  private async update(set: string, identity: string, params: unknown[]): Promise<OutboxRow> {
    const [rows] = await this.m.query<[OutboxRow[], number]>(
      `UPDATE notifications SET ${set} WHERE identity = $1 RETURNING identity, status, address, message_id, sent_at, last_error`,
      [identity, ...params],
    );
    const row = rows[0];
    if (!row) throw new Error(`outbox row ${identity} vanished`);
    return row;
  }
}

/** The notifications outbox: one row per message identity, so a retried or concurrent send is the same message. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes the rows of messages planned ahead, composed: one statement for the batch. A row already
   * there is prepared again only while still pending (a sent or settled one is what happened).
   */
  async prepare(messages: PreparedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO notifications (identity, reference, kind, recipient, due_at, status, address, language, message_id, raw, prepared_at)
       SELECT identity, reference, kind, recipient::jsonb, due_at, 'pending', address, language, message_id, raw, now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::bytea[])
           AS m(identity, reference, kind, recipient, due_at, address, language, message_id, raw)
       ON CONFLICT (identity) DO UPDATE SET address = EXCLUDED.address, language = EXCLUDED.language, message_id = EXCLUDED.message_id,
                                            raw = EXCLUDED.raw, prepared_at = EXCLUDED.prepared_at
        WHERE notifications.status = 'pending'`,
      [
        messages.map((m) => m.request.identity),
        messages.map((m) => m.request.reference),
        messages.map((m) => m.request.kind),
        messages.map((m) => JSON.stringify(m.request.recipient)),
        messages.map((m) => m.request.dueAt),
        messages.map((m) => m.addresses.join(', ')),
        messages.map((m) => m.language),
        messages.map((m) => m.messageId),
        messages.map((m) => m.raw),
      ],
    );
  }

  /**
   * Prepared messages the plan no longer holds: their composed rows deleted, never sent. Nothing was owed
   * yet, so nothing is recorded; should the plan hold one again, it is composed again, or when it is due.
   */
  async release(identities: string[]): Promise<number> {
    if (identities.length === 0) return 0;
    // TypeORM answers a DELETE … RETURNING with [rows, count].
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM notifications WHERE identity = ANY($1::text[]) AND status = 'pending' RETURNING identity`,
      [identities],
    );
    return count;
  }

  /** Runs `fn` in one transaction whose row locks wait at most LOCK_TIMEOUT for another attempt. */
  within<T>(fn: (tx: OutboxTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      return fn(new OutboxTransaction(m));
    });
  }
}

interface NationRow {
  code: string;
  name_en: string;
  name_fr: string;
  language: Language;
  director_email: string | null;
  director_alternate_email: string | null;
  senior_rep_email: string | null;
  senior_rep_alternate_email: string | null;
  wg_delegates: NationContact['wgDelegates'];
}

async function nationContact(m: EntityManager, code: string): Promise<NationContact | null> {
  const [row] = await m.query<NationRow[]>(
    `SELECT code, name_en, name_fr, language, director_email, director_alternate_email, senior_rep_email, senior_rep_alternate_email, wg_delegates
       FROM nations WHERE code = $1`,
    [code],
  );
  return row
    ? {
        code: row.code,
        nameEn: row.name_en,
        nameFr: row.name_fr,
        language: row.language,
        directorEmail: row.director_email,
        directorAlternateEmail: row.director_alternate_email,
        seniorRepEmail: row.senior_rep_email,
        seniorRepAlternateEmail: row.senior_rep_alternate_email,
        wgDelegates: row.wg_delegates,
      }
    : null;
}

/** The directory as the notifications read it, outside a delivery's transaction. */
@Injectable()
export class NationContactsRepository {
  constructor(private readonly dataSource: DataSource) {}

  nation(code: string): Promise<NationContact | null> {
    return nationContact(this.dataSource.manager, code);
  }
}
