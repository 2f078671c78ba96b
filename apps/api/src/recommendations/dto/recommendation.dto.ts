import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  IsArray,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import {
  APPROVAL_POSITIONS,
  DECISIONS,
  LANGUAGES,
  NATION_CODES,
  POSITIONS,
  PROGRESS_STATUSES,
  STAGES,
  TEXT_LIMITS,
  WORKING_GROUPS,
  isIsoDuration,
  isIsoInstant,
  type Decision,
  type Language,
  type NationCode,
  type PolicyInput,
  type PositionKind,
  type ProgressStatus,
  type Stage,
  type WorkingGroup,
} from '@app/domain';

const notBlank = { message: '$property must not be empty' };

/** Strict ISO 8601 at the edge, with the domain's own parser, so a bad time is a 400 naming the field whatever the stage. */
const IsIsoInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    { name: 'isIsoInstant', validator: { validate: (v: unknown) => typeof v === 'string' && isIsoInstant(v), defaultMessage: () => '$property must be an ISO 8601 instant with a zone, e.g. 2026-12-04T11:00:00Z' } },
    options,
  );
const IsIsoDuration = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    { name: 'isIsoDuration', validator: { validate: (v: unknown) => typeof v === 'string' && isIsoDuration(v), defaultMessage: () => '$property must be an ISO 8601 duration, e.g. P14D or PT2S' } },
    options,
  );

export class RaiseRecommendationDto {
  @ApiProperty({ maxLength: TEXT_LIMITS.title }) @IsString() @MinLength(1, notBlank) @MaxLength(TEXT_LIMITS.title) title!: string;
  @ApiProperty({ maxLength: TEXT_LIMITS.summary }) @IsString() @MinLength(1, notBlank) @MaxLength(TEXT_LIMITS.summary) summary!: string;
  @ApiProperty({ description: 'Markdown', maxLength: TEXT_LIMITS.body }) @IsString() @MinLength(1, notBlank) @MaxLength(TEXT_LIMITS.body) body!: string;
  @ApiProperty({ enum: WORKING_GROUPS }) @IsIn(WORKING_GROUPS) workingGroup!: WorkingGroup;
  @ApiProperty({ enum: LANGUAGES }) @IsIn(LANGUAGES) language!: Language;
  @ApiPropertyOptional({ enum: NATION_CODES, isArray: true, description: 'Target nations; default all Allies' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(NATION_CODES.length) @ArrayUnique() @IsIn(NATION_CODES, { each: true })
  nations?: NationCode[];
  @ApiPropertyOptional({ description: 'Deadline policy (ISO 8601 durations); defaults from DOMAIN.md', type: 'object', additionalProperties: true })
  @IsOptional() @IsObject() policy?: PolicyInput;
  @ApiPropertyOptional({ description: 'Rapporteur (email address or name)', maxLength: 320 }) @IsOptional() @IsString() @MaxLength(320) rapporteur?: string;
}

export class ReviseDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1, notBlank) @MaxLength(TEXT_LIMITS.title) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1, notBlank) @MaxLength(TEXT_LIMITS.summary) summary?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1, notBlank) @MaxLength(TEXT_LIMITS.body) body?: string;
  @ApiProperty() @IsString() @MinLength(1, notBlank) @MaxLength(TEXT_LIMITS.note) note!: string;
}

export class CallConsensusDto {
  @ApiPropertyOptional({ description: 'ISO 8601 instant' }) @IsOptional() @IsString() @MaxLength(40) @IsIsoInstant() deadline?: string;
  @ApiPropertyOptional({ description: 'ISO 8601 duration' }) @IsOptional() @IsString() @MaxLength(40) @IsIsoDuration() silence?: string;
}

export class ConsensusPositionDto {
  @ApiProperty({ enum: POSITIONS }) @IsIn(POSITIONS) position!: PositionKind;
  @ApiProperty({ description: 'Required for an objection' })
  @ValidateIf((o: ConsensusPositionDto) => o.position === 'object' || o.comment !== undefined)
  @IsString() @MaxLength(TEXT_LIMITS.comment) comment: string = '';
}

export class ApprovalPositionDto {
  @ApiProperty({ enum: APPROVAL_POSITIONS }) @IsIn(APPROVAL_POSITIONS) position!: PositionKind;
  @ApiProperty({ description: 'Required for an objection' })
  @ValidateIf((o: ApprovalPositionDto) => o.position === 'object' || o.comment !== undefined)
  @IsString() @MaxLength(TEXT_LIMITS.comment) comment: string = '';
}

export class SubmissionDto {}

export class ResponseDto {
  @ApiProperty({ enum: DECISIONS }) @IsIn(DECISIONS) decision!: Decision;
  @ApiProperty() @IsString() @MaxLength(TEXT_LIMITS.comment) comment!: string;
  @ApiPropertyOptional({ description: 'ISO 8601 instant' }) @IsOptional() @IsString() @MaxLength(40) @IsIsoInstant() plannedCompletion?: string;
}

export class ProgressDto {
  @ApiProperty({ enum: PROGRESS_STATUSES }) @IsIn(PROGRESS_STATUSES) status!: ProgressStatus;
  @ApiPropertyOptional({ minimum: 0, maximum: 100 }) @IsOptional() @IsInt() @Min(0) @Max(100) percent?: number;
  @ApiProperty() @IsString() @MaxLength(TEXT_LIMITS.comment) comment!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) @IsUrl({ protocols: ['https', 'http'], require_protocol: true }) evidenceUrl?: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @MinLength(1, notBlank) @MaxLength(TEXT_LIMITS.reason) reason!: string;
}

export class ListRecommendationsQuery {
  @ApiPropertyOptional({ enum: STAGES }) @IsOptional() @IsIn(STAGES) stage?: Stage;
  @ApiPropertyOptional({ enum: WORKING_GROUPS }) @IsOptional() @IsIn(WORKING_GROUPS) workingGroup?: WorkingGroup;
  @ApiPropertyOptional({ enum: NATION_CODES }) @IsOptional() @IsIn(NATION_CODES) nation?: NationCode;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) overdue?: 'true' | 'false';
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @IsString() @MaxLength(3) limit?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) cursor?: string;
}

export class RecommendationQuery {
  @ApiPropertyOptional({ description: 'ISO 8601 instant: the recommendation as it stood then' }) @IsOptional() @IsString() @MaxLength(40) @IsIsoInstant() asOf?: string;
}

