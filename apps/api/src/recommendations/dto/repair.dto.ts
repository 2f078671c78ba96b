import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { TEXT_LIMITS } from '@app/domain';
import type { ProjectionDifference, RebuildReport } from '@app/persistence';

const notBlank = { message: '$property must not be empty' };

export class MoveDeadlineDto {
  @ApiProperty({
    description: 'The new due date of the nation, an ISO 8601 instant in the future',
    example: '2027-03-01T12:00:00Z',
  })
  @IsString()
  @MaxLength(40)
  dueAt!: string;

  @ApiProperty({ description: 'Why the deadline moves; recorded in the audit trail' })
  @IsString()
  @MinLength(1, notBlank)
  @MaxLength(TEXT_LIMITS.reason)
  reason!: string;
}

export class ResendNotificationDto {
  @ApiProperty({
    description: 'Identity of the notification to send again (GET …/notifications)',
    example: 'DIPB-2026-0001/submission/director-FRA/revision-1',
  })
  @IsString()
  @MaxLength(500)
  @Matches(/^DIPB-\d{4}-\d{4,6}\/[\w./:+-]+$/, {
    message: 'identity must be a notification identity, e.g. DIPB-2026-0001/submission/director-FRA/revision-1',
  })
  identity!: string;

  @ApiProperty({
    description: 'Why it is sent again (e.g. the director address was corrected); recorded in the audit trail',
  })
  @IsString()
  @MinLength(1, notBlank)
  @MaxLength(TEXT_LIMITS.reason)
  reason!: string;
}

export class RebuildProjectionDto {
  @ApiPropertyOptional({ description: 'One recommendation; all when omitted', example: 'DIPB-2026-0001' })
  @IsOptional()
  @IsString()
  @Matches(/^DIPB-\d{4}-\d{4,6}$/, { message: 'reference must look like DIPB-2026-0001' })
  reference?: string;

  @ApiPropertyOptional({
    description: 'Replace what differs from the event log (default: only compare)',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  write?: boolean;
}

/** Any JSON value (OpenAPI 3.0 has no null type: null is allowed by the one nullable alternative). */
const ANY_JSON: ApiPropertyOptions = {
  oneOf: [
    { type: 'string', nullable: true },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
  ],
};

/** One field of the read model that differs from what the event log says. */
export class ProjectionDifferenceDto implements ProjectionDifference {
  @ApiProperty({ type: String, example: 'DIPB-2026-0001' })
  reference!: string;

  @ApiProperty({
    type: String,
    description: 'Where, e.g. `recommendations.stage`, `view.title`, `revisions[2].body`',
    example: 'recommendations.stage',
  })
  path!: string;

  @ApiProperty({
    ...ANY_JSON,
    description: 'What the read model holds (null when the row is missing)',
    example: 'submitted',
  })
  stored!: unknown;

  @ApiProperty({
    ...ANY_JSON,
    description: 'What the event log says (null when the row should not exist)',
    example: 'follow-up',
  })
  derived!: unknown;
}

/** What a rebuild compared, found and (with `write`) restored. */
export class RebuildReportDto implements RebuildReport {
  @ApiProperty({ type: String, isArray: true, description: 'References compared', example: ['DIPB-2026-0001'] })
  checked!: string[];

  @ApiProperty({ type: () => ProjectionDifferenceDto, isArray: true })
  differences!: ProjectionDifferenceDto[];

  @ApiProperty({
    type: String,
    isArray: true,
    description: 'References rewritten from the event log (only with write)',
    example: [],
  })
  written!: string[];
}
