import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  isStillDue,
  recipientKey,
  type DeliveryContext,
  type DeliveryResult,
  type Language,
  type NotificationRequest,
} from '@app/domain';
import {
  DirectoryReader,
  OutboxRepository,
  RecommendationsQueries,
  TextsRepository,
  type OutboxRow,
  type OutboxTransaction,
  type PreparedMessage,
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
import { CalendarEntries, type CalendarAttachment } from './links/calendar-entries';
import { messageIdFor } from './message-id';
import type { RenderedMessage } from './notification-context';
import { NotificationRenderer } from './notification-renderer';
import { resolveRecipient, type ResolvedRecipient } from './recipient-directory';

/** A refusal by every address: the secretariat gets a copy to pass on. */
interface Undeliverable {
  recipient: string;
  addresses: string[];
  reason: string;
}

type Outcome = { result: DeliveryResult; retry?: SmtpTransientError; undeliverable?: Undeliverable };

/** One way to get the message to its recipient: its addresses, and the send. */
interface Attempt {
  addresses: string[];
  language: Language;
  send: (signal: AbortSignal) => Promise<SentMail>;
}

/** A rendered message and its calendar entry, if it carries one. */
interface Composed {
  message: RenderedMessage;
  entry: CalendarAttachment | null;
}

const UNDELIVERABLE_SUFFIX = '/undeliverable';

/**
 * How often a send the SMTP server has not yet taken is checked against the recommendation's state
 * again: a hung server holds a message for up to its timeouts, and what settles meanwhile must not
 * go out when it wakes up.
 */
const STALE_WATCH_MS = 1000;

/** How often preparing looks whether this worker's sends are done (it yields to them). */
const PREPARE_YIELD_POLL_MS = 20;

/** Preparing stops this long before the earliest of its messages is due: what is left is composed when due. */
const PREPARE_MARGIN_MS = 1000;

/**
 * The longest preparing waits for this worker's sends before it gives up, leaving the rest to be
 * composed when due. It waits in one of the delivery worker's few activity slots
 * (WORKER_DELIVERY_CONCURRENCY): waiting until its own deadline, 16 preparations took every slot
 * during a reminder burst and the burst's own batches queued behind them (p99 3.7× the floor).
 */
const PREPARE_WAIT_MAX_MS = 2000;

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
    private readonly directory: DirectoryReader,
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

    // Checked at the instant of sending, against the state as it is now (read with the row's lock).
    const state = undeliverable ? null : row.state;
    if (state && !isStillDue(state, request)) {
      const reason = `no longer due: ${request.reference} is ${state.stage}${request.nation ? `, ${request.nation} settled or spoke` : ''}`;
      return { result: toResult(await tx.dropped(request.identity, reason)) };
    }

    const messageId = messageIdFor(request.identity);
    const headers = { 'X-DIPB-Reference': request.reference, 'X-DIPB-Notification': request.kind };
    // Where it goes, from the directory as it is now: looked up only when needed (a message prepared
    // ahead, its directory entry unchanged since, needs it only if its address refuses it).
    let resolved: ResolvedRecipient | null = null;
    const recipient = async (): Promise<ResolvedRecipient> =>
      (resolved ??= undeliverable
        ? { attempts: [[this.config.SECRETARIAT_EMAIL]], language: 'en', nationName: null, missing: null }
        : await resolveRecipient((code) => tx.nation(code), request.recipient, {
            nation: request.nation,
            workingGroup: context.workingGroup,
            rapporteur: context.rapporteur,
            originalLanguage: context.language,
            secretariat: this.config.SECRETARIAT_EMAIL,
          }));
    const raw = !undeliverable && row.raw && row.address && !row.directory_changed ? row.raw : null;
    const preparedFor = raw && row.address ? row.address.split(', ') : null;
    if (!preparedFor) {
      const to = await recipient();
      if (to.attempts.length === 0) {
        const reason = to.missing ?? 'no address';
        this.logger.warn(`notification ${request.identity} skipped: ${reason}`);
        return { result: toResult(await tx.skipped(request.identity, reason, to.language)) };
      }
    }
    let rendered: Composed | null = null;
    const render = async (): Promise<Composed> => {
      if (rendered) return rendered;
      const to = await recipient();
      const nation = to.nationName === null && request.nation ? await tx.nation(request.nation) : null;
      const nationName = to.nationName ?? (nation ? { en: nation.nameEn, fr: nation.nameFr } : null);
      return (rendered = await this.composeFor(request, context, { language: to.language, nationName, undeliverable }));
    };
    // Each attempt in turn: the message prepared ahead first, as composed (only the SMTP exchange is
    // left); then each address of the directory, rendered now.
    const mailer = this.mailer;
    async function* attempts(): AsyncGenerator<Attempt> {
      if (raw && preparedFor) {
        yield { addresses: preparedFor, language: row.language ?? 'en', send: (signal) => mailer.sendComposed(preparedFor, raw, signal) };
      }
      const to = await recipient();
      for (const addresses of to.attempts) {
        if (preparedFor && addresses.join(', ') === preparedFor.join(', ')) continue; // tried prepared
        yield {
          addresses,
          language: to.language,
          send: async (signal) => {
            const { message, entry } = await render();
            return mailer.send(
              {
                to: addresses,
                subject: message.subject,
                text: message.text,
                html: message.html,
                messageId,
                language: message.language,
                headers,
                ...(entry ? { attachments: [entry] } : {}),
              },
              signal,
            );
          },
        };
      }
    }

    const refusals: string[] = [];
    // While the server has not taken the message, whatever settles the matter calls the send off.
    const calledOff = new AbortController();
    const watch = state ? this.watchWhileSending(request, calledOff) : null;
    const tried: string[][] = [];
    try {
      for await (const attempt of attempts()) {
        tried.push(attempt.addresses);
        let sent: SentMail;
        try {
          sent = await attempt.send(calledOff.signal);
        } catch (err) {
          if (err instanceof SmtpAbortedError) {
            const reason = `no longer due: ${String(calledOff.signal.reason)}, while the SMTP server had not taken it`;
            this.logger.warn(`notification ${request.identity} called off: ${reason}`);
            return { result: toResult(await tx.dropped(request.identity, reason)) };
          }
          if (err instanceof SmtpPermanentError) {
            refusals.push(`${attempt.addresses.join(', ')}: ${err.message}`);
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
          address: attempt.addresses.join(', '),
          language: attempt.language,
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
    const addresses = tried.flat();
    await tx.failed(request.identity, { address: addresses[0] ?? null, language: (await recipient()).language, messageId, reason });
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

  /**
   * Prepares messages planned ahead of their due instant: resolved against the directory, rendered
   * and composed now, their outbox rows written in one statement, so that at the due instant each
   * costs one SMTP exchange and one small update. A message that then is no longer owed is dropped,
   * never sent; one whose recipient's directory entry changed meanwhile is composed again.
   */
  async prepare(
    requests: NotificationRequest[],
    contextOf: (r: NotificationRequest) => Promise<DeliveryContext>,
  ): Promise<number> {
    const prepared: PreparedMessage[] = [];
    // Preparing is for later, sending is for now: it yields to every message this worker is sending or
    // has queued (a timer's burst), and gives up in time, leaving the rest to be composed when due.
    const giveUpAt = Math.min(...requests.map((r) => Date.parse(r.dueAt))) - PREPARE_MARGIN_MS;
    for (const request of requests) {
      if (!(await this.sendsIdleBefore(Math.min(giveUpAt, Date.now() + PREPARE_WAIT_MAX_MS)))) break;
      const context = await contextOf(request);
      const to = await resolveRecipient((code) => this.directory.nation(code), request.recipient, {
        nation: request.nation,
        workingGroup: context.workingGroup,
        rapporteur: context.rapporteur,
        originalLanguage: context.language,
        secretariat: this.config.SECRETARIAT_EMAIL,
      });
      const first = to.attempts[0];
      if (!first) continue; // no address: settled (skipped) when it falls due
      const nation = to.nationName === null && request.nation ? await this.directory.nation(request.nation) : null;
      const nationName = to.nationName ?? (nation ? { en: nation.nameEn, fr: nation.nameFr } : null);
      const { message, entry } = await this.composeFor(request, context, { language: to.language, nationName, undeliverable: null });
      const messageId = messageIdFor(request.identity);
      const raw = await this.mailer.compose(
        {
          to: first,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId,
          language: message.language,
          headers: { 'X-DIPB-Reference': request.reference, 'X-DIPB-Notification': request.kind },
          ...(entry ? { attachments: [entry] } : {}),
        },
        new Date(request.dueAt),
      );
      prepared.push({ request, addresses: first, language: message.language, messageId, raw });
    }
    await this.outbox.prepare(prepared);
    return prepared.length;
  }

  /** Waits until this worker has no message in flight or queued; false when `deadline` comes first. */
  private async sendsIdleBefore(deadline: number): Promise<boolean> {
    while (this.inFlight.activeCount + this.inFlight.pendingCount > 0) {
      if (Date.now() >= deadline) return false;
      await sleep(PREPARE_YIELD_POLL_MS);
    }
    return Date.now() < deadline;
  }

  /** Prepared messages the plan no longer holds: dropped, never sent. */
  release(identities: string[]): Promise<number> {
    return this.outbox.release(identities, 'planned ahead, no longer due when the plan changed');
  }

  /**
   * A message as its recipient gets it: rendered in their language with their personal link for what
   * it asks, and the deadline as a calendar entry where there is one.
   */
  private async composeFor(
    request: NotificationRequest,
    context: DeliveryContext,
    to: { language: Language; nationName: { en: string; fr: string } | null; undeliverable: Undeliverable | null },
  ): Promise<Composed> {
    const link = to.undeliverable ? null : await this.links.forMessage(request, context.workingGroup, to.language);
    const message = this.renderer.render(request, {
      ...context,
      recipientLanguage: to.language,
      nationName: to.nationName,
      undeliverable: to.undeliverable,
      link,
    });
    const entry = to.undeliverable ? null : await this.calendar.forMessage(request, { title: context.title, language: to.language, link: link?.url ?? null });
    return { message, entry };
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
