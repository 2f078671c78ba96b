import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, ConfigModule, loggerParams, type AppConfig } from '@app/config';
import { DigestOutboxRepository, DigestRepository, PersistenceModule } from '@app/persistence';
import { NotificationsModule } from '@app/notifications';
import { DigestActivities } from './activities/digest.activities';
import { RecommendationActivities } from './activities/recommendation.activities';
import { DigestScheduleService } from './digest-schedule.service';
import { TemporalWorkerService } from './temporal-worker.service';
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
    TemporalWorkerService,
  ],
})
export class WorkerModule {}
