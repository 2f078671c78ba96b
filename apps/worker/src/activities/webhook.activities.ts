import { Inject, Injectable, Logger } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { durationMs, selectedTypes, webhookGivenUp, webhookRetryDelay, type WebhookRetryPolicy } from '@app/domain';
import {
  ChangeFeedRepository,
  decodeFeedPosition,
  DigestOutboxRepository,
  RecommendationChanges,
  WebhooksRepository,
  type FeedPosition,
  type WebhookForDelivery,
} from '@app/persistence';
import {
  MailerService,
  messageIdFor,
  renderWebhookDisabled,
  WEBHOOK_DISABLED_KIND,
  webhookEnvelope,
  webhookHeaders,
  WebhookSender,
} from '@app/notifications';
import type { WebhookActivities as WebhookActivityFunctions, WebhookRound, WebhookRoundInput } from '@app/temporal';
import { WorkerMetrics } from '../worker-metrics';

/** How long one round may go on before it hands back to the workflow (its history stays short). */
const ROUND_MS = 60_000;
/** Events read from the feed at a time. */
const PAGE = 50;

/**
 * A subscription's delivery loop (docs/design.md, "Webhooks"). A round reads the change feed after the
 * subscription's position, with its filters, and POSTs each event in order, one at a time; the position
 * moves only after a 2xx, so delivery is at least once and in order. Caught up, it waits for a commit
 * (the projection's `pg_notify`) or WEBHOOK_POLL_MS. A failure ends the round: the workflow waits the
 * backoff in a durable timer, and the same event is tried again. What a delivery needs is read again just
 * before each POST: a subscription turned off, changed or rewound meanwhile is obeyed at once.
 */
@Injectable()
export class WebhookActivities implements WebhookActivityFunctions {
  private readonly logger = new Logger(WebhookActivities.name);
  private readonly policy: WebhookRetryPolicy;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hooks: WebhooksRepository,
    private readonly feed: ChangeFeedRepository,
    private readonly changes: RecommendationChanges,
    private readonly sender: WebhookSender,
    private readonly outbox: DigestOutboxRepository,
    private readonly mailer: MailerService,
    private readonly metrics: WorkerMetrics,
  ) {
    this.policy = {
      initialMs: config.WEBHOOK_RETRY_INITIAL_MS,
      maxMs: config.WEBHOOK_RETRY_MAX_MS,
      disableAfterMs: durationMs(config.WEBHOOK_DISABLE_AFTER),
    };
  }

  async deliverWebhooks({ subscriptionId: id }: WebhookRoundInput): Promise<WebhookRound> {
    const ctx = Context.current();
    const until = Date.now() + ROUND_MS;
    let delivered = 0;
    for (;;) {
      ctx.heartbeat({ delivered });
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
      const hook = await this.hooks.forDelivery(id);
      if (!hook) return { kind: 'stopped', delivered, reason: 'deleted' };
      if (!hook.active) return { kind: 'stopped', delivered, reason: 'inactive' };
      const types = selectedTypes(hook);
      const page = await this.feed.read(hook.at, PAGE, {
        scope: { kind: 'all' },
        ...(types ? { types } : {}),
        ...hook.filter,
      });
      let from: FeedPosition = hook.at;
      // Set when a redelivery moved the position mid-page: read again from where it now is.
      let rewound = false;
      for (const event of page.items) {
        const outcome = await this.deliverOne(id, from, event);
        if (outcome.kind === 'failing' || outcome.kind === 'stopped') return { ...outcome, delivered };
        if (outcome.kind === 'moved') {
          rewound = true;
          break;
        }
        delivered += 1;
        from = decodeFeedPosition(event.position);
        ctx.heartbeat({ delivered });
      }
      if (rewound) continue;
      // Past the events not selected, up to where the feed was read.
      const end = decodeFeedPosition(page.position);
      if (end.tx !== from.tx || end.id !== from.id) await this.hooks.advance(id, from, end);
      if (page.items.length === PAGE) continue;
      if (Date.now() >= until) return { kind: 'idle', delivered };
      await this.commitOrTimeout(Math.min(this.config.WEBHOOK_POLL_MS, until - Date.now()), ctx.cancellationSignal);
    }
  }

  /**
   * One event to one receiver, checked at the instant it goes: the subscription read again, still
   * active, still at `from`, its current URL and secrets.
   */
  private async deliverOne(
    id: string,
    from: FeedPosition,
    event: Parameters<typeof webhookEnvelope>[0],
  ): Promise<
    | { kind: 'delivered' }
    | { kind: 'moved' }
    | Omit<Extract<WebhookRound, { kind: 'failing' }>, 'delivered'>
    | Omit<Extract<WebhookRound, { kind: 'stopped' }>, 'delivered'>
  > {
    const hook: WebhookForDelivery | null = await this.hooks.forDelivery(id);
    if (!hook) return { kind: 'stopped', reason: 'deleted' };
    if (!hook.active) return { kind: 'stopped', reason: 'inactive' };
    if (hook.at.tx !== from.tx || hook.at.id !== from.id) return { kind: 'moved' };
    const envelope = webhookEnvelope(event);
    const at = new Date();
    const headers = {
      'content-type': envelope.contentType,
      ...webhookHeaders(hook.secrets, envelope.id, at, envelope.body),
    };
    const exchange = await this.sender.post(hook.url, headers, envelope.body, Context.current().cancellationSignal);
    const ok = exchange.error === null;
    this.metrics.webhookAttempt(ok);
    await this.hooks.recordAttempt({
      subscription: id,
      webhookId: envelope.id,
      position: event.position,
      eventType: event.type,
      reference: event.reference,
      attempt: hook.failures + 1,
      at,
      latencyMs: exchange.latencyMs,
      status: exchange.status,
      delivered: ok,
      error: exchange.error,
    });
    if (ok) {
      // False: a redelivery moved the position meanwhile; the next read starts from there.
      return (await this.hooks.advance(id, from, decodeFeedPosition(event.position)))
        ? { kind: 'delivered' }
        : { kind: 'moved' };
    }
    const failure = await this.hooks.recordFailure(id);
    if (!failure) return { kind: 'stopped', reason: 'deleted' };
    const error = exchange.error ?? 'failed';
    if (webhookGivenUp(failure.failingSince, failure.now, this.policy)) {
      const reason = `no delivery accepted since ${failure.failingSince.toISOString()} (${failure.failures} attempts); last: ${error}`;
      const disabled = await this.hooks.disable(id, reason);
      if (disabled) {
        this.metrics.webhookDisabled();
        this.logger.warn(`webhook subscription ${id} disabled: ${reason}`);
      }
      return { kind: 'stopped', reason: 'disabled' };
    }
    return {
      kind: 'failing',
      retryInMs: webhookRetryDelay(failure.failures, this.policy),
      failures: failure.failures,
      error,
    };
  }

  /** Resolves at the next commit of the projection, after `ms`, or when the round is cancelled. */
  private commitOrTimeout(ms: number, cancelled: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop();
        cancelled.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      const stop = this.changes.watchAll(done);
      cancelled.addEventListener('abort', done);
    });
  }

  async noticeWebhookDisabled({ subscriptionId: id }: WebhookRoundInput): Promise<{ sent: boolean }> {
    const hook = await this.hooks.get(id);
    if (!hook?.disabledAt) return { sent: false };
    const language = this.config.DIGEST_LANGUAGE;
    const identity = `${WEBHOOK_DISABLED_KIND}/${id}/${hook.disabledAt}`;
    const message = renderWebhookDisabled(
      {
        id,
        url: hook.url,
        description: hook.description,
        failingSince: hook.failingSince ?? hook.disabledAt,
        disabledAt: hook.disabledAt,
        failures: hook.failures,
        reason: hook.disabledReason ?? '',
      },
      language,
    );
    const to = this.config.SECRETARIAT_EMAIL;
    const messageId = messageIdFor(identity);
    const result = await this.outbox.sendOnce(
      { identity, reference: 'webhooks', kind: WEBHOOK_DISABLED_KIND, dueAt: hook.disabledAt },
      async () => {
        const sent = await this.mailer.send({
          to: [to],
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId,
          language,
          headers: { 'X-DIPB-Notification': WEBHOOK_DISABLED_KIND, 'X-DIPB-Webhook': id },
        });
        return { address: to, language, messageId, sentAt: sent.acceptedAt };
      },
    );
    return { sent: result.status === 'sent' };
  }

  /** Bound methods, as part of the worker's activities object. */
  asActivities(): WebhookActivityFunctions {
    return {
      deliverWebhooks: this.deliverWebhooks.bind(this),
      noticeWebhookDisabled: this.noticeWebhookDisabled.bind(this),
    };
  }
}
