import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { recipientKey, type DeliveryContext, type DeliveryResult, type NotificationRequest } from '@app/domain';
import pLimit from 'p-limit';
import { DataSource, type EntityManager } from 'typeorm';
import { MailerService, SmtpPermanentError, SmtpTransientError, type SentMail } from './mailer.service';
import { messageIdFor } from './message-id';
import { NotificationRenderer } from './notification-renderer';
import { resolveRecipient } from './recipient-directory';

interface OutboxRow {
  identity: string;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  address: string | null;
  message_id: string | null;
  sent_at: Date | null;
  last_error: string | null;
}

/** A refusal by every address: the secretariat gets a copy to pass on. */
interface Undeliverable {
  recipient: string;
  addresses: string[];
  reason: string;
}

type Outcome = { result: DeliveryResult; retry?: SmtpTransientError; undeliverable?: Undeliverable };

/** How long a second attempt at the same notification waits for the first to finish before retrying later. */
const LOCK_TIMEOUT = '60s';

const UNDELIVERABLE_SUFFIX = '/undeliverable';

/**
 * Sends each notification exactly once, through the `notifications` outbox table.
 *
 * The row is keyed by the notification's identity. A delivery inserts its row if it is new and
 * locks it (`SELECT … FOR UPDATE`), in one transaction held for the length of the SMTP exchange and marks it `sent` in the same transaction, right after the
 * server's 250: a concurrent or retried attempt waits on the lock and then finds `sent` and sends
 * nothing. If the worker dies mid-send, PostgreSQL drops its connection, the lock and the
 * uncommitted state with it, and the retry sends again — with the same Message-ID (derived from
 * the identity), so the only window for a second copy is between the 250 and the COMMIT, and a
 * copy from that window is the same message to every MTA and client that de-duplicates on it.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly renderer = new NotificationRenderer();
  /**
   * Messages in flight in this process, across all activities: one per SMTP connection. A message
   * waiting here holds no database connection, so a burst queues in memory, not in the pg pool.
   */
  private readonly inFlight: pLimit.Limit;

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: MailerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.inFlight = pLimit(config.SMTP_POOL_SIZE);
  }

  /**
   * Delivers one notification. Throws `SmtpTransientError` when SMTP cannot take it now (the
   * activity retries with backoff); a permanent refusal of every address returns `failed`.
   * At most `SMTP_POOL_SIZE` deliveries run at once; the others wait their turn.
   */
  deliver(request: NotificationRequest, context: DeliveryContext): Promise<DeliveryResult> {
    return this.inFlight(() => this.deliverNow(request, context));
  }

  private async deliverNow(request: NotificationRequest, context: DeliveryContext): Promise<DeliveryResult> {
    const outcome = await this.dataSource.transaction((m) => this.deliverLocked(m, request, context));
    if (outcome.retry) throw outcome.retry;
    if (outcome.result.status === 'failed' && !request.identity.endsWith(UNDELIVERABLE_SUFFIX)) {
      // Idempotent like any delivery: a retry after this point finds the copy already sent.
      await this.tellSecretariat(
        request,
        context,
        outcome.undeliverable ?? this.undeliverableFrom(request, outcome.result),
      );
    }
    return outcome.result;
  }

  private async deliverLocked(
    m: EntityManager,
    request: NotificationRequest,
    context: DeliveryContext,
    undeliverable: Undeliverable | null = null,
  ): Promise<Outcome> {
    await m.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    // In the same transaction as the send: a concurrent attempt at the same identity waits here
    // until this one commits, then finds the row and its status.
    await m.query(
      `INSERT INTO notifications (identity, reference, kind, recipient, due_at, status)
       VALUES ($1, $2, $3, $4::jsonb, $5, 'pending')
       ON CONFLICT (identity) DO NOTHING`,
      [request.identity, request.reference, request.kind, JSON.stringify(request.recipient), request.dueAt],
    );
    const [row] = await m.query<OutboxRow[]>(
      `SELECT identity, status, address, message_id, sent_at, last_error FROM notifications WHERE identity = $1 FOR UPDATE`,
      [request.identity],
    );
    if (!row) throw new Error(`outbox row ${request.identity} vanished`);
    if (row.status !== 'pending') return { result: toResult(row) };

    const messageId = messageIdFor(request.identity);
    const to = undeliverable
      ? { attempts: [[this.config.SECRETARIAT_EMAIL]], language: 'en' as const, nationName: null, missing: null }
      : await resolveRecipient(m, request.recipient, {
          nation: request.nation,
          workingGroup: context.workingGroup,
          rapporteur: context.rapporteur,
          originalLanguage: context.language,
          secretariat: this.config.SECRETARIAT_EMAIL,
        });
    if (to.attempts.length === 0) {
      const reason = to.missing ?? 'no address';
      await m.query(`UPDATE notifications SET status = 'skipped', last_error = $2, language = $3 WHERE identity = $1`, [
        request.identity,
        reason,
        to.language,
      ]);
      this.logger.warn(`notification ${request.identity} skipped: ${reason}`);
      return {
        result: {
          identity: request.identity,
          status: 'skipped',
          address: null,
          messageId: null,
          sentAt: null,
          error: reason,
        },
      };
    }
    const nationName = to.nationName ?? (request.nation ? await this.nationName(m, request.nation) : null);
    const rendered = this.renderer.render(request, {
      ...context,
      recipientLanguage: to.language,
      nationName,
      undeliverable,
    });

    const refusals: string[] = [];
    for (const addresses of to.attempts) {
      let sent: SentMail;
      try {
        sent = await this.mailer.send({
          to: addresses,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          messageId,
          language: rendered.language,
          headers: { 'X-DIPB-Reference': request.reference, 'X-DIPB-Notification': request.kind },
        });
      } catch (err) {
        if (err instanceof SmtpPermanentError) {
          refusals.push(`${addresses.join(', ')}: ${err.message}`);
          continue;
        }
        const retry =
          err instanceof SmtpTransientError ? err : new SmtpTransientError(String(err), null, { cause: err });
        // Committed (the transaction returns normally), so the preview shows the attempt and why it failed.
        await m.query(`UPDATE notifications SET attempts = attempts + 1, last_error = $2 WHERE identity = $1`, [
          request.identity,
          retry.message,
        ]);
        return { result: toResult(row), retry };
      }
      const address = addresses.join(', ');
      const notes = [...refusals, ...(sent.rejected.length > 0 ? [`rejected: ${sent.rejected.join(', ')}`] : [])];
      const [updated] = await m.query<[OutboxRow[], number]>(
        `UPDATE notifications
            SET status = 'sent', address = $2, language = $3, message_id = $4, sent_at = $5, attempts = attempts + 1, last_error = $6
          WHERE identity = $1
          RETURNING identity, status, address, message_id, sent_at, last_error`,
        [
          request.identity,
          address,
          rendered.language,
          messageId,
          sent.acceptedAt,
          notes.length > 0 ? notes.join('; ') : null,
        ],
      );
      return { result: toResult(updated[0] ?? row) };
    }

    const reason = refusals.join('; ');
    const addresses = to.attempts.flat();
    await m.query(
      `UPDATE notifications SET status = 'failed', address = $2, language = $3, message_id = $4, attempts = attempts + 1, last_error = $5
        WHERE identity = $1`,
      [request.identity, addresses[0] ?? null, rendered.language, messageId, reason],
    );
    this.logger.warn(`notification ${request.identity} refused by every address: ${reason}`);
    return {
      result: {
        identity: request.identity,
        status: 'failed',
        address: addresses[0] ?? null,
        messageId,
        sentAt: null,
        error: reason,
      },
      undeliverable: { recipient: recipientKey(request.recipient), addresses, reason },
    };
  }

  /** The secretariat's copy of a message no address accepted: its own outbox row, its own Message-ID. */
  private async tellSecretariat(
    request: NotificationRequest,
    context: DeliveryContext,
    undeliverable: Undeliverable,
  ): Promise<void> {
    if (request.recipient.role === 'secretariat') return;
    const copy: NotificationRequest = {
      ...request,
      identity: `${request.identity}${UNDELIVERABLE_SUFFIX}`,
      recipient: { role: 'secretariat' },
    };
    // The copy keeps the original's recipient nation (for names and routes), and goes to the secretariat.
    const outcome = await this.dataSource.transaction((m) =>
      this.deliverLocked(
        m,
        { ...copy, nation: request.nation ?? ('nation' in request.recipient ? request.recipient.nation : null) },
        context,
        undeliverable,
      ),
    );
    if (outcome.retry) throw outcome.retry;
  }

  private undeliverableFrom(request: NotificationRequest, result: DeliveryResult): Undeliverable {
    return {
      recipient: recipientKey(request.recipient),
      addresses: result.address ? [result.address] : [],
      reason: result.error ?? 'refused',
    };
  }

  private async nationName(m: EntityManager, code: string): Promise<{ en: string; fr: string } | null> {
    const [row] = await m.query<{ name_en: string; name_fr: string }[]>(
      `SELECT name_en, name_fr FROM nations WHERE code = $1`,
      [code],
    );
    return row ? { en: row.name_en, fr: row.name_fr } : null;
  }
}

function toResult(row: OutboxRow): DeliveryResult {
  const status = row.status === 'pending' ? 'failed' : row.status;
  return {
    identity: row.identity,
    status,
    address: row.address,
    messageId: row.message_id,
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
    error: row.last_error,
  };
}
