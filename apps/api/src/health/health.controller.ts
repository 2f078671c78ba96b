import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { TemporalClientProvider } from '@app/temporal/client';
import { Public } from '../auth/auth.decorators';
import { ApiProblems } from '../problem/problem.dto';
import { ProblemException } from '../problem/problem';
import { LiveDto, ReadyDto } from './health.dto';

/** How long a load balancer or client should wait before asking readiness again. */
export const READY_RETRY_AFTER_SECONDS = 5;

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
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency is checked)', security: [] })
  @ApiOkResponse({ type: LiveDto, description: 'Alive' })
  live(): LiveDto {
    return { status: 'ok' };
  }

  /** Ready to serve: PostgreSQL and Temporal both answer. */
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Temporal both answer (each check bounded to 2 s)', security: [] })
  @ApiOkResponse({ type: ReadyDto, description: 'Ready: every dependency is up' })
  @ApiProblems(503)
  async ready(): Promise<ReadyDto> {
    try {
      return await this.health.check([
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
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      // Terminus answers with the whole check result; say which dependency is down (not why: this route is public), with Retry-After.
      const down = Object.keys((err.getResponse() as Partial<HealthCheckResult>).error ?? {});
      throw new ProblemException(
        503,
        `not ready: ${down.length > 0 ? down.join(' and ') : 'a dependency'} did not answer; retry later`,
        {
          retryAfterSeconds: READY_RETRY_AFTER_SECONDS,
        },
      );
    }
  }
}
