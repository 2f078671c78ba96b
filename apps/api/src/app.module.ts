import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, ConfigModule, loggerParams, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { TemporalClientModule } from '@app/temporal/client';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { NationsModule } from './nations/nations.module';
import { ProblemFilter } from './problem/problem.filter';
import { RecommendationsModule } from './recommendations/recommendations.module';
import { ReportsModule } from './reports/reports.module';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerParams(config, 'dipb-api') }),
    PersistenceModule,
    TemporalClientModule,
    AuthModule,
    HealthModule,
    RecommendationsModule,
    NationsModule,
    ReportsModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
})
export class AppModule {}
