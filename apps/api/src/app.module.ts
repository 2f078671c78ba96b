import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, ConfigModule, loggerParams, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { TemporalClientModule } from '@app/temporal/client';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { LinksModule } from './links/links.module';
import { MetricsModule } from './metrics/metrics.module';
import { NationsModule } from './nations/nations.module';
import { ProblemFilter } from './problem/problem.filter';
import { CallerThrottlerGuard } from './rate-limit/caller-throttler.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RecommendationsModule } from './recommendations/recommendations.module';
import { ReportsModule } from './reports/reports.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => loggerParams(config, 'dipb-api'),
    }),
    PersistenceModule,
    TemporalClientModule,
    AuthModule,
    CalendarModule,
    EventsModule,
    RateLimitModule,
    HealthModule,
    MetricsModule,
    RecommendationsModule,
    NationsModule,
    ReportsModule,
    WebhooksModule,
    LinksModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    // Counted against the verified caller whichever global guard runs first (see CallerThrottlerGuard).
    { provide: APP_GUARD, useClass: CallerThrottlerGuard },
  ],
})
export class AppModule {}
