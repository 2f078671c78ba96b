import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { HealthCheckStatus, HealthIndicatorResult } from '@nestjs/terminus';

export class LiveDto {
  @ApiProperty({ type: String, enum: ['ok'] })
  status!: 'ok';
}

const CHECKS = {
  type: 'object' as const,
  description: 'One entry per dependency (postgres, temporal)',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    required: ['status'],
    additionalProperties: true,
  },
  example: { postgres: { status: 'up' }, temporal: { status: 'up' } },
};

/** Terminus's check result, as answered with 200 (a failing check is a 503 problem instead). */
export class ReadyDto {
  @ApiProperty({ type: String, enum: ['ok'], description: 'Always ok with 200' })
  status!: HealthCheckStatus;

  @ApiPropertyOptional({ ...CHECKS, description: 'The dependencies that are up' })
  info?: Partial<HealthIndicatorResult>;

  @ApiPropertyOptional({ ...CHECKS, description: 'The dependencies that are down (empty with 200)', example: {} })
  error?: Partial<HealthIndicatorResult>;

  @ApiProperty(CHECKS)
  details!: Partial<HealthIndicatorResult>;
}
