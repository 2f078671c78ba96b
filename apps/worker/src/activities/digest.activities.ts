import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DigestOutboxRepository, DigestRepository, ReportsRepository } from '@app/persistence';
import { DIGEST_KIND, digestIdentity, digestWeek, MailerService, messageIdFor, renderDigest } from '@app/notifications';
import type { DigestActivities as DigestActivityFunctions, DigestInput, DigestResult } from '@app/temporal';

/**
 * The weekly digest's activity. The week of the schedule's nominal time is the message's identity:
 * its outbox row in `notifications` is locked while the message goes and marked `sent` in the same
 * transaction, so a second run in the same week (trigger, catch-up, retry, another worker) sends nothing.
 */
@Injectable()
export class DigestActivities implements DigestActivityFunctions {
  private readonly logger = new Logger(DigestActivities.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queries: DigestRepository,
    private readonly reports: ReportsRepository,
    private readonly outbox: DigestOutboxRepository,
    private readonly mailer: MailerService,
  ) {}

  async sendWeeklyDigest(input: DigestInput): Promise<DigestResult> {
    const week = digestWeek(input.scheduledAt);
    const identity = digestIdentity(week);
    const earlier = await this.outbox.status(identity);
    if (earlier?.status === 'already-sent') return { week: week.id, identity, window: week.window, ...earlier };

    const language = this.config.DIGEST_LANGUAGE;
    const [data, overview] = await Promise.all([
      this.queries.weekly(week.window),
      this.reports.overview(new Date(week.window.to)),
    ]);
    const message = await renderDigest({ week, data, nations: overview.nations, language });
    const messageId = messageIdFor(identity);
    const to = this.config.SECRETARIAT_EMAIL;
    const result = await this.outbox.sendOnce(
      { identity, reference: DIGEST_KIND, kind: DIGEST_KIND, dueAt: week.window.to },
      async () => {
        const sent = await this.mailer.send({
          to: [to],
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId,
          language,
          headers: { 'X-DIPB-Notification': DIGEST_KIND, 'X-DIPB-Digest-Week': week.id },
          attachments: message.attachments,
        });
        return { address: to, language, messageId, sentAt: sent.acceptedAt };
      },
    );
    if (result.status === 'sent') this.logger.log(`weekly digest ${week.id} sent to ${to}`);
    return { week: week.id, identity, window: week.window, ...result };
  }

  /** Bound methods, as part of the worker's activities object. */
  asActivities(): DigestActivityFunctions {
    return { sendWeeklyDigest: this.sendWeeklyDigest.bind(this) };
  }
}
