import { Injectable } from '@nestjs/common';
import { Runtime } from '@temporalio/worker';
import type { MetricCounter, MetricGauge } from '@temporalio/common';
import { RecommendationsRepository } from '@app/persistence';
import type { NotificationKind } from '@app/domain';
import type { DeliveryResult } from '@app/temporal';

const REMINDER_KINDS: ReadonlySet<NotificationKind> = new Set([
  'response-reminder',
  'response-overdue',
  'progress-request',
  'progress-overdue',
  'escalation',
  'consensus-reminder',
  'approval-reminder',
]);

/**
 * The worker's own metrics, created on the Temporal runtime's meter so that they are served by the
 * same Prometheus endpoint as the SDK's (`Runtime.install` in main.ts; counters get `_total`).
 */
@Injectable()
export class WorkerMetrics {
  private readonly sent: MetricCounter;
  private readonly failed: MetricCounter;
  private readonly reminders: MetricCounter;
  private readonly overdue: MetricGauge;
  private readonly webhooks: MetricCounter;
  private readonly webhooksDisabled: MetricCounter;

  private refreshing: Promise<void> | null = null;
  private again = false;

  constructor(private readonly queries: RecommendationsRepository) {
    const meter = Runtime.instance().metricMeter;
    this.sent = meter.createCounter(
      'dipb_emails_sent',
      undefined,
      'Emails accepted by the SMTP server, by notification kind',
    );
    this.failed = meter.createCounter(
      'dipb_emails_failed',
      undefined,
      'Emails that could not be delivered to anyone (5xx everywhere), by kind',
    );
    this.reminders = meter.createCounter(
      'dipb_reminders_fired',
      undefined,
      'Reminders, overdue notices and escalations sent, by kind',
    );
    this.overdue = meter.createGauge(
      'dipb_overdue_nations',
      'int',
      undefined,
      'Nations past a response or progress-report due date, over all recommendations',
    );
    this.webhooks = meter.createCounter(
      'dipb_webhook_deliveries',
      undefined,
      'Webhook delivery attempts, by outcome (delivered: a 2xx in time; failed: anything else, retried)',
    );
    this.webhooksDisabled = meter.createCounter(
      'dipb_webhooks_disabled',
      undefined,
      'Webhook subscriptions disabled after failing for WEBHOOK_DISABLE_AFTER',
    );
    // The API's prom-client reports dipb_api_nodejs_version_info; the worker says the same of itself.
    const [major = '', minor = '', patch = ''] = process.versions.node.split('.');
    meter
      .createGauge('dipb_worker_nodejs_version_info', 'int', undefined, 'Node.js version info')
      .set(1, { version: process.version, major, minor, patch });
  }

  webhookAttempt(delivered: boolean): void {
    this.webhooks.add(1, { outcome: delivered ? 'delivered' : 'failed' });
  }

  webhookDisabled(): void {
    this.webhooksDisabled.add(1);
  }

  delivered(kind: NotificationKind, result: DeliveryResult): void {
    if (result.status === 'sent') {
      this.sent.add(1, { kind });
      if (REMINDER_KINDS.has(kind)) this.reminders.add(1, { kind });
    } else if (result.status === 'failed') {
      this.failed.add(1, { kind });
    }
  }

  /**
   * Recounted after a projection, off the command's path: never awaited by it, and coalesced (one
   * count at a time, one more if projections came in meanwhile), so a burst of commands costs a
   * couple of counts, not one each. Cheap anyway: only rows flagged overdue are read.
   */
  refreshOverdue(): void {
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = this.queries
      .overdueNations()
      .then((n) => this.overdue.set(n))
      .catch(() => undefined) // a metrics hiccup must never fail anything
      .finally(() => {
        this.refreshing = null;
        if (this.again) {
          this.again = false;
          this.refreshOverdue();
        }
      });
  }
}
