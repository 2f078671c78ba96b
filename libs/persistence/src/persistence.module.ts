import { APP_CONFIG, ConfigModule, type AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options';
import { IdempotencyRepository } from './repositories/idempotency.repository';
import { NationsRepository } from './repositories/nations.repository';
import { NationContactsRepository, OutboxRepository } from './repositories/outbox.repository';
import { ProjectionRebuildRepository } from './repositories/projection-rebuild.repository';
import { ProjectionRepository } from './repositories/projection.repository';
import { RecommendationChanges } from './repositories/recommendation-changes';
import { RecommendationsRepository } from './repositories/recommendations.repository';
import { ReferenceRepository } from './repositories/reference.repository';
import { ReportsRepository } from './repositories/reports.repository';
import { TextsRepository } from './repositories/texts.repository';
import { CalendarRepository } from './repositories/calendar.repository';
import { ChangeFeedRepository } from './repositories/change-feed.repository';
import { WebhooksRepository } from './repositories/webhooks.repository';

const REPOSITORIES = [
  ProjectionRepository,
  ProjectionRebuildRepository,
  ReferenceRepository,
  IdempotencyRepository,
  RecommendationsRepository,
  RecommendationChanges,
  NationsRepository,
  ReportsRepository,
  TextsRepository,
  OutboxRepository,
  NationContactsRepository,
  CalendarRepository,
  ChangeFeedRepository,
  WebhooksRepository,
];

/** The record in PostgreSQL. Migrations are run by `runMigrationsAndSeed`, never at module start. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [ConfigModule],
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
    }),
  ],
  providers: REPOSITORIES,
  exports: REPOSITORIES,
})
export class PersistenceModule {}
