import { APP_CONFIG, ConfigModule, type AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options';
import { IdempotencyService } from './idempotency.service';
import { NationsService } from './nations.service';
import { DirectoryReader, OutboxRepository } from './outbox.repository';
import { ProjectionRebuildService } from './projection-rebuild.service';
import { ProjectionService } from './projection.service';
import { RecommendationsQueries } from './recommendations.queries';
import { ReferenceService } from './reference.service';
import { ReportsService } from './reports.service';
import { TextsRepository } from './texts.repository';

const SERVICES = [
  ProjectionService,
  ProjectionRebuildService,
  ReferenceService,
  IdempotencyService,
  RecommendationsQueries,
  NationsService,
  ReportsService,
  TextsRepository,
  OutboxRepository,
  DirectoryReader,
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
  providers: SERVICES,
  exports: SERVICES,
})
export class PersistenceModule {}
