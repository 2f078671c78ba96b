import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  isStillDue,
  recipientKey,
  type DeliveryContext,
  type DeliveryResult,
  type NotificationRequest,
} from '@app/domain';
import {
  OutboxRepository,
  RecommendationsQueries,
  TextsRepository,
  type OutboxRow,
  type OutboxTransaction,
} from '@app/persistence';
import pLimit from 'p-limit';
import {
  MailerService,
  SmtpAbortedError,
  SmtpPermanentError,
  SmtpTransientError,
  type SentMail,
} from './mailer.service';
import { ActionLinks } from './links/action-links';
import { CalendarEntries } from './links/calendar-entries';
import { messageIdFor } from './message-id';
import { NotificationRenderer } from './notification-renderer';
import { resolveRecipient } from './recipient-directory';

/** A refusal by every address: the secretariat gets a copy to pass on. */
interface Undeliverable {
  recipient: string;
  addresses: string[];
  reason: string;
}

type Outcome = { result: DeliveryResult; retry?: SmtpTransientError; undeliverable?: Undeliverable };

const UNDELIVERABLE_SUFFIX = '/undeliverable';

/**
 * How often a send the SMTP server has not yet taken is checked against the recommendation's state
 * again: a hung server holds a message for up to its timeouts, and what settles meanwhile must not
 * go out when it wakes up.
 */
const STALE_WATCH_MS = 1000;

/**
 * Sends each notification exactly once, through the `notifications` outbox table.
 *
 * The row is keyed by the notification's identity. A delivery inserts its row if it is new and
 * locks it (`SELECT … FOR UPDATE`), in one transaction held for the length of the SMTP exchange and
 * marks it `sent` in the same transaction, right after the server's 250: a concurrent or retried
 * attempt waits on the lock and then finds `sent` and sends nothing. If the worker dies mid-send,
 * PostgreSQL drops its connection, the lock and the uncommitted state with it, and the retry sends
 * again — with the same Message-ID (derived from the identity), so the only window for a second copy
 * is between the 250 and the COMMIT, and a copy from that window is the same message to every MTA
 * and client that de-duplicates on it.
 *
 * In the same transaction, just before sending, the message is checked against the recommendation's
 * state as the projection last folded it: one no longer owed (the nation answered, the round closed,
 * the recommendation was withdrawn — even while this batch waited for a hung SMTP server) is dropped.
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
    private readonly outbox: OutboxRepository,
    private readonly texts: TextsRepository,
    private readonly queries: RecommendationsQueries,
    private readonly mailer: MailerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: ActionLinks,
    private readonly calendar: CalendarEntries,
  ) {
    this.inFlight = pLimit(config.SMTP_POOL_SIZE);
  }

  /**
   * What the messages of one recommendation about one revision need: its working group, languages
   * and rapporteur, and that revision's text, read from PostgreSQL (the claim check).
   */
  async context(reference: string, revision: number): Promise<DeliveryContext> {
    const [basics, text] = await Promise.all([this.queries.get(reference), this.texts.ofRevision(reference, revision)]);
    if (!basics) throw new Error(`no recommendation ${reference} in PostgreSQL to deliver for`);
    const shown = text ?? { title: basics.title, summary: basics.summary, body: basics.body };
    return {
      reference,
      title: shown.title,
      summary: shown.summary,
      body: shown.body,
      workingGroup: basics.workingGroup,
      language: basics.language,
      rapporteur: basics.rapporteur,
    };
  }

  /**
   * Delivers one notification. Throws `SmtpTransientError` when SMTP cannot take it now (the
   * activity retries with backoff); a permanent refusal of every address returns `failed`; a
   * message no longer owed returns `dropped`. At most `SMTP_POOL_SIZE` deliveries run at once.
   */
  deliver(request: NotificationRequest, context: DeliveryContext): Promise<DeliveryResult> {
    return this.inFlight(() => this.deliverNow(request, context));
  }

  private async deliverNow(request: NotificationRequest, context: DeliveryContext): Promise<DeliveryResult> {
    const outcome = await this.outbox.within((tx) => this.deliverLocked(tx, request, context));
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
    tx: OutboxTransaction,
    request: NotificationRequest,
    context: DeliveryContext,
    undeliverable: Undeliverable | null = null,
  ): Promise<Outcome> {
    const row = await tx.claim(request);
    // Already sent (or settled otherwise) by an earlier attempt: that is what happened to it.
    if (row.status !== 'pending') return { result: toResult(row) };

    // Checked at the instant of sending, against the state as it is now.
    const state = undeliverable ? null : await tx.currentState(request.reference);
    if (state && !isStillDue(state, request)) {
      const reason = `no longer due: ${request.reference} is ${state.stage}${request.nation ? `, ${request.nation} settled or spoke` : ''}`;
      return { result: toResult(await tx.dropped(request.identity, reason)) };
    }

    const messageId = messageIdFor(request.identity);
    const to = undeliverable
      ? { attempts: [[this.config.SECRETARIAT_EMAIL]], language: 'en' as const, nationName: null, missing: null }
      : await resolveRecipient((code) => tx.nation(code), request.recipient, {
          nation: request.nation,
          workingGroup: context.workingGroup,
          rapporteur: context.rapporteur,
          originalLanguage: context.language,
          secretariat: this.config.SECRETARIAT_EMAIL,
        });
    if (to.attempts.length === 0) {
      const reason = to.missing ?? 'no address';
      this.logger.warn(`notification ${request.identity} skipped: ${reason}`);
      return { result: toResult(await tx.skipped(request.identity, reason, to.language)) };
    }
    const nation = to.nationName === null && request.nation ? await tx.nation(request.nation) : null;
    const nationName = to.nationName ?? (nation ? { en: nation.nameEn, fr: nation.nameFr } : null);
    // The recipient's personal link for what the message asks, and the deadline for their calendar.
    const link = undeliverable ? null : await this.links.forMessage(request, context.workingGroup, to.language);
    const rendered = this.renderer.render(request, {
      ...context,
      recipientLanguage: to.language,
      nationName,
      undeliverable,
      link,
    });
    const entry = undeliverable ? null : await this.calendar.forMessage(request, { title: context.title, language: to.language, link: link?.url ?? null });

    const refusals: string[] = [];
    // While the server has not taken the message, whatever settles the matter calls the send off.
    const calledOff = new AbortController();
    const watch = state ? this.watchWhileSending(request, calledOff) : null;
    try {
      for (const addresses of to.attempts) {
        let sent: SentMail;
        try {
          sent = await this.mailer.send(
            {
              to: addresses,
              subject: rendered.subject,
              text: rendered.text,
              html: rendered.html,
              messageId,
              language: rendered.language,
              headers: { 'X-DIPB-Reference': request.reference, 'X-DIPB-Notification': request.kind },
              ...(entry ? { attachments: [entry] } : {}),
            },
            calledOff.signal,
          );
        } catch (err) {
          if (err instanceof SmtpAbortedError) {
            const reason = `no longer due: ${String(calledOff.signal.reason)}, while the SMTP server had not taken it`;
            this.logger.warn(`notification ${request.identity} called off: ${reason}`);
            return { result: toResult(await tx.dropped(request.identity, reason)) };
          }
          if (err instanceof SmtpPermanentError) {
            refusals.push(`${addresses.join(', ')}: ${err.message}`);
            continue;
          }
          const retry =
            err instanceof SmtpTransientError ? err : new SmtpTransientError(String(err), null, { cause: err });
          // Committed (the transaction returns normally), so the preview shows the attempt and why it failed.
          await tx.attemptFailed(request.identity, retry.message);
          return { result: toResult(row), retry };
        }
        const notes = [...refusals, ...(sent.rejected.length > 0 ? [`rejected: ${sent.rejected.join(', ')}`] : [])];
        const updated = await tx.sent(request.identity, {
          address: addresses.join(', '),
          language: rendered.language,
          messageId,
          at: sent.acceptedAt,
          note: notes.length > 0 ? notes.join('; ') : null,
        });
        return { result: toResult(updated) };
      }
    } finally {
      if (watch) clearInterval(watch);
    }

    const reason = refusals.join('; ');
    const addresses = to.attempts.flat();
    await tx.failed(request.identity, {
      address: addresses[0] ?? null,
      language: rendered.language,
      messageId,
      reason,
    });
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

  /** Polls the recommendation's state while a send is under way; aborts the send once the message is no longer due. */
  private watchWhileSending(request: NotificationRequest, calledOff: AbortController): NodeJS.Timeout {
    return setInterval(() => {
      this.queries
        .state(request.reference)
        .then((row) => {
          if (row?.state && !isStillDue(row.state, request))
            calledOff.abort(`${request.reference} is ${row.state.stage}`);
        })
        .catch(() => undefined); // PostgreSQL down: the send goes on, as it would without the watch
    }, STALE_WATCH_MS);
  }

  /** The secretariat's copy of a message no address accepted: its own outbox row, its own Message-ID. */
  private async tellSecretariat(
    request: NotificationRequest,
    context: DeliveryContext,
    undeliverable: Undeliverable,
  ): Promise<void> {
    if (request.recipient.role === 'secretariat') return;
    // The copy keeps the original's recipient nation (for names and routes), and goes to the secretariat.
    const copy: NotificationRequest = {
      ...request,
      identity: `${request.identity}${UNDELIVERABLE_SUFFIX}`,
      recipient: { role: 'secretariat' },
      nation: request.nation ?? ('nation' in request.recipient ? request.recipient.nation : null),
    };
    const outcome = await this.outbox.within((tx) => this.deliverLocked(tx, copy, context, undeliverable));
    if (outcome.retry) throw outcome.retry;
  }

  private undeliverableFrom(request: NotificationRequest, result: DeliveryResult): Undeliverable {
    return {
      recipient: recipientKey(request.recipient),
      addresses: result.address ? [result.address] : [],
      reason: result.error ?? 'refused',
    };
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
