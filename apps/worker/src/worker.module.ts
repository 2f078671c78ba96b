import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, ConfigModule, loggerParams, type AppConfig } from '@app/config';
import { DigestOutboxRepository, DigestRepository, PersistenceModule } from '@app/persistence';
import { NotificationsModule, WebhookSender, webhookSenderConfig } from '@app/notifications';
import { DigestActivities } from './activities/digest.activities';
import { RecommendationActivities } from './activities/recommendation.activities';
import { WebhookActivities } from './activities/webhook.activities';
import { DigestScheduleService } from './digest-schedule.service';
import { TemporalWorkerService } from './temporal-worker.service';
import { WebhookLoopsKeeper } from './webhook-loops-keeper.service';
import { WorkerMetrics } from './worker-metrics';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => loggerParams(config, 'dipb-worker'),
    }),
    PersistenceModule,
    NotificationsModule,
  ],
  providers: [
    WorkerMetrics,
    RecommendationActivities,
    // The weekly digest: its queries and outbox row, its activity, and its schedule (created at start).
    DigestRepository,
    DigestOutboxRepository,
    DigestActivities,
    DigestScheduleService,
    // Webhooks: the one way out (destination rules, timeouts), and the delivery rounds.
    {
      provide: WebhookSender,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new WebhookSender(webhookSenderConfig(config)),
    },
    WebhookActivities,
    WebhookLoopsKeeper,
    TemporalWorkerService,
  ],
})
export class WorkerModule {}
