import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { DeliveryContext, DeliveryResult, NotificationRequest } from '@app/domain';
import {
  NationContactsRepository,
  OutboxRepository,
  RecommendationChanges,
  RecommendationsRepository,
  TextsRepository,
  type PreparedMessage,
} from '@app/persistence';
import pLimit from 'p-limit';
import { MessageComposer, type NationLookup } from './delivery/compose-message';
import { secretariatCopyOf, type Letter } from './delivery/letter';
import { OutboxDelivery } from './delivery/outbox-delivery';
import type { DeliveryOutcome } from './delivery/record-outcome';
import { ListeningSendWatch } from './delivery/send-watch';
import { ActionLinks } from './links/action-links';
import { CalendarEntries } from './links/calendar-entries';
import { MailerService } from './mailer.service';

/** How often preparing looks whether this worker's sends are done (it yields to them). */
const PREPARE_YIELD_POLL_MS = 20;

/** Preparing stops this long before the earliest of its messages is due: what is left is composed when due. */
const PREPARE_MARGIN_MS = 1000;

/**
 * How long one `prepare` may take, yielding to this worker's sends, before it gives up and leaves the
 * rest to be composed when due: longer than a burst of 1,024 reminders here, well within the activity's
 * timeout. It waits in the prepare queue's few slots, never in those the sends need (docs/benchmarks.md).
 */
const PREPARE_WAIT_MAX_MS = 20_000;

/**
 * Sends each notification exactly once, through the `notifications` outbox table: each delivery holds
 * its row's lock from the claim to the record (`OutboxDelivery`; why, in `docs/design.md`).
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly composer: MessageComposer;
  private readonly delivery: OutboxDelivery;
  /** Messages in flight in this process, one per SMTP connection; waiting here holds no database connection. */
  private readonly inFlight: pLimit.Limit;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly texts: TextsRepository,
    private readonly queries: RecommendationsRepository,
    changes: RecommendationChanges,
    private readonly directory: NationContactsRepository,
    private readonly mailer: MailerService,
    @Inject(APP_CONFIG) config: AppConfig,
    links: ActionLinks,
    calendar: CalendarEntries,
  ) {
    this.inFlight = pLimit(config.SMTP_POOL_SIZE);
    this.composer = new MessageComposer(links, calendar, config.SECRETARIAT_EMAIL);
    const watch = new ListeningSendWatch(changes, async (reference) => (await queries.state(reference))?.state ?? null);
    this.delivery = new OutboxDelivery(this.composer, mailer, watch, this.logger);
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
    return this.inFlight(() => this.deliverLetter({ kind: 'notification', request, context }));
  }

  private async deliverLetter(letter: Letter): Promise<DeliveryResult> {
    return this.conclude(letter, await this.outbox.within((tx) => this.delivery.deliverIn(tx, letter)));
  }

  /** What a delivery's outcome asks of its caller: a retry later, the secretariat's copy, or nothing more. */
  private async conclude(letter: Letter, outcome: DeliveryOutcome): Promise<DeliveryResult> {
    switch (outcome.kind) {
      case 'retry':
        throw outcome.error;
      case 'undeliverable': {
        // Idempotent like any delivery: a retry after this point finds the copy already sent.
        const copy = secretariatCopyOf(letter, outcome.undeliverable);
        if (copy) await this.deliverLetter(copy);
        return outcome.result;
      }
      case 'settled':
        return outcome.result;
    }
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
    // has queued (a timer's burst), and gives up in time, leaving the rest to be composed when due. It
    // waits in a slot of the prepare queue's own (workflows/task-queues.ts), never in one a send needs.
    const dueFirst = Math.min(...requests.map((r) => Date.parse(r.dueAt)));
    const giveUpAt = Math.min(dueFirst - PREPARE_MARGIN_MS, Date.now() + PREPARE_WAIT_MAX_MS);
    for (const request of requests) {
      if (!(await this.sendsIdleBefore(giveUpAt))) break;
      const message = await this.prepareOne(request, await contextOf(request));
      if (message) prepared.push(message);
    }
    await this.outbox.prepare(prepared);
    return prepared.length;
  }

  /** One message composed for its first addresses, dated when due; none without an address (skipped when due). */
  private async prepareOne(request: NotificationRequest, context: DeliveryContext): Promise<PreparedMessage | null> {
    const letter: Letter = { kind: 'notification', request, context };
    const nationOf: NationLookup = (code) => this.directory.nation(code);
    const to = await this.composer.resolve(letter, nationOf);
    const first = to.attempts[0];
    if (!first) return null;
    const mail = await this.composer.compose(letter, to, nationOf);
    const raw = await this.mailer.compose({ ...mail, to: first }, new Date(request.dueAt));
    return { request, addresses: first, language: mail.language, messageId: mail.messageId, raw };
  }

  /** Waits until this worker has no message in flight or queued; false when `deadline` comes first. */
  private async sendsIdleBefore(deadline: number): Promise<boolean> {
    while (this.inFlight.activeCount + this.inFlight.pendingCount > 0) {
      if (Date.now() >= deadline) return false;
      await sleep(PREPARE_YIELD_POLL_MS);
    }
    return Date.now() < deadline;
  }

  /** Prepared messages the plan no longer holds: their composed rows deleted, never sent. */
  release(identities: string[]): Promise<number> {
    return this.outbox.release(identities);
  }
}
