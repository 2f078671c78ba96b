import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, HealthIndicatorService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { TemporalClientProvider } from '@app/temporal/client';
import { Public } from '../auth/auth.decorators';

@ApiTags('health')
@Public()
// Probes from the orchestrator must never be refused for rate.
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly temporal: TemporalClientProvider,
  ) {}

  /** The process is up; says nothing of its dependencies. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to serve: PostgreSQL and Temporal both answer. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 2000 }),
      async () => {
        const check = this.indicator.check('temporal');
        try {
          const client = await this.temporal.get();
          // Bounded like the PostgreSQL check, so readiness answers within seconds when Temporal is down.
          await client.connection.withDeadline(Date.now() + 2000, () => client.workflowService.getSystemInfo({}));
          return check.up();
        } catch (err) {
          return check.down({ message: err instanceof Error ? err.message.slice(0, 200) : 'unreachable' });
        }
      },
    ]);
  }
}
