import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, ConfigModule, loggerParams, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { NotificationsModule } from '@app/notifications';
import { RecommendationActivities } from './activities/recommendation.activities';
import { TemporalWorkerService } from './temporal-worker.service';
import { WorkerMetrics } from './worker-metrics';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerParams(config, 'dipb-worker') }),
    PersistenceModule,
    NotificationsModule,
  ],
  providers: [WorkerMetrics, RecommendationActivities, TemporalWorkerService],
})
export class WorkerModule {}
