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
  IsBoolean,
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
  isIsoDate,
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
import { LIST_LIMIT } from '@app/persistence';
import { ENUMS } from '../../openapi/schemas';
import { PolicyInputDto } from './recommendation-view.dto';

const notBlank = { message: '$property must not be empty' };

/** Strict ISO 8601 at the edge, with the domain's own parser, so a bad time is a 400 naming the field whatever the stage. */
const IsIsoInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isIsoInstant',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && isIsoInstant(v),
        defaultMessage: () => '$property must be an ISO 8601 instant with a zone, e.g. 2026-12-04T11:00:00Z',
      },
    },
    options,
  );
const IsDateOrInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDateOrInstant',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && (isIsoDate(v) || isIsoInstant(v)),
        defaultMessage: () => '$property must be a calendar date (2027-06-30) or an ISO 8601 instant with a zone',
      },
    },
    options,
  );
const IsIsoDuration = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isIsoDuration',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && isIsoDuration(v),
        defaultMessage: () => '$property must be an ISO 8601 duration, e.g. P14D or PT2S',
      },
    },
    options,
  );

export class RaiseRecommendationDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: TEXT_LIMITS.title })
  @IsString()
  @MinLength(1, notBlank)
  @MaxLength(TEXT_LIMITS.title)
  title!: string;
  @ApiProperty({ type: String, minLength: 1, maxLength: TEXT_LIMITS.summary })
  @IsString()
  @MinLength(1, notBlank)
  @MaxLength(TEXT_LIMITS.summary)
  summary!: string;
  @ApiProperty({ type: String, minLength: 1, maxLength: TEXT_LIMITS.body, description: 'Markdown' })
  @IsString()
  @MinLength(1, notBlank)
  @MaxLength(TEXT_LIMITS.body)
  body!: string;
  @ApiProperty(ENUMS.workingGroup) @IsIn(WORKING_GROUPS) workingGroup!: WorkingGroup;
  @ApiProperty({ ...ENUMS.language, description: 'Language of the original' }) @IsIn(LANGUAGES) language!: Language;
  @ApiPropertyOptional({
    ...ENUMS.nation,
    isArray: true,
    minItems: 1,
    maxItems: NATION_CODES.length,
    uniqueItems: true,
    description: 'Target nations; default all Allies',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NATION_CODES.length)
  @ArrayUnique()
  @IsIn(NATION_CODES, { each: true })
  nations?: NationCode[];
  @ApiPropertyOptional({
    type: () => PolicyInputDto,
    description: 'Deadline policy (ISO 8601 durations); a field left out takes its default',
  })
  @IsOptional()
  @IsObject()
  policy?: PolicyInput;
  @ApiPropertyOptional({ type: String, description: 'Rapporteur (email address or name)', maxLength: 320 })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  rapporteur?: string;
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      "A priority recommendation (the Board's priority actions): its policy's defaults are shorter (PRIORITY_POLICY: 7-day silences, 45 days to answer, weekly notices, the secretariat told at the first), and it comes first in lists, the digest and the Board report",
  })
  @IsOptional()
  @IsBoolean()
  priority?: boolean;
}

export class ReviseDto {
  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: TEXT_LIMITS.title,
    description: 'Unchanged when left out',
  })
  @IsOptional()
  @IsString()
  @MinLength(1, notBlank)
  @MaxLength(TEXT_LIMITS.title)
  title?: string;
  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: TEXT_LIMITS.summary,
    description: 'Unchanged when left out',
  })
  @IsOptional()
  @IsString()
  @MinLength(1, notBlank)
  @MaxLength(TEXT_LIMITS.summary)
  summary?: string;
  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: TEXT_LIMITS.body,
    description: 'Markdown; unchanged when left out',
  })
  @IsOptional()
  @IsString()
  @MinLength(1, notBlank)
  @MaxLength(TEXT_LIMITS.body)
  body?: string;
  @ApiProperty({ type: String, minLength: 1, maxLength: TEXT_LIMITS.note, description: 'Why this revision' })
  @IsString()
  @MinLength(1, notBlank)
  @MaxLength(TEXT_LIMITS.note)
  note!: string;
}

export class CallConsensusDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    maxLength: 40,
    description: 'When silence ends (ISO 8601 instant); else `silence` or the policy',
    example: '2026-12-04T11:00:00Z',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsIsoInstant()
  deadline?: string;
  @ApiPropertyOptional({
    type: String,
    maxLength: 40,
    description: 'How long silence runs (ISO 8601 duration); else the policy',
    example: 'P14D',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsIsoDuration()
  silence?: string;
}

export class ConsensusPositionDto {
  @ApiProperty(ENUMS.position) @IsIn(POSITIONS) position!: PositionKind;
  @ApiPropertyOptional({ type: String, maxLength: TEXT_LIMITS.comment, description: 'Required for an objection' })
  @ValidateIf((o: ConsensusPositionDto) => o.position === 'object' || o.comment !== undefined)
  @IsString()
  @MaxLength(TEXT_LIMITS.comment)
  comment: string = '';
}

export class ApprovalPositionDto {
  @ApiProperty(ENUMS.approvalPosition) @IsIn(APPROVAL_POSITIONS) position!: PositionKind;
  @ApiPropertyOptional({ type: String, maxLength: TEXT_LIMITS.comment, description: 'Required for an objection' })
  @ValidateIf((o: ApprovalPositionDto) => o.position === 'object' || o.comment !== undefined)
  @IsString()
  @MaxLength(TEXT_LIMITS.comment)
  comment: string = '';
}

export class SubmissionDto {}

export class ResponseDto {
  @ApiProperty(ENUMS.decision) @IsIn(DECISIONS) decision!: Decision;
  @ApiProperty({ type: String, maxLength: TEXT_LIMITS.comment })
  @IsString()
  @MaxLength(TEXT_LIMITS.comment)
  comment!: string;
  @ApiPropertyOptional({
    type: String,
    maxLength: 40,
    description: 'Planned completion, for an acceptance: a calendar date (recorded as given), or an ISO 8601 instant',
    example: '2027-06-30',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsDateOrInstant()
  plannedCompletion?: string;
}

export class ProgressDto {
  @ApiProperty(ENUMS.progressStatus) @IsIn(PROGRESS_STATUSES) status!: ProgressStatus;
  @ApiPropertyOptional({ type: Number, format: 'int32', minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  percent?: number;
  @ApiProperty({ type: String, maxLength: TEXT_LIMITS.comment })
  @IsString()
  @MaxLength(TEXT_LIMITS.comment)
  comment!: string;
  @ApiPropertyOptional({ type: String, format: 'uri', maxLength: 2000, description: 'http or https' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  evidenceUrl?: string;
}

export class ReasonDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: TEXT_LIMITS.reason })
  @IsString()
  @MinLength(1, notBlank)
  @MaxLength(TEXT_LIMITS.reason)
  reason!: string;
}

export class ListRecommendationsQuery {
  @ApiPropertyOptional(ENUMS.stage) @IsOptional() @IsIn(STAGES) stage?: Stage;
  @ApiPropertyOptional(ENUMS.workingGroup) @IsOptional() @IsIn(WORKING_GROUPS) workingGroup?: WorkingGroup;
  @ApiPropertyOptional({ ...ENUMS.nation, description: 'A target nation' })
  @IsOptional()
  @IsIn(NATION_CODES)
  nation?: NationCode;
  @ApiPropertyOptional({ type: Boolean, description: 'Only those with (or without) a nation past its due date' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
  @ApiPropertyOptional({ type: Boolean, description: 'Only priority recommendations (or only the others)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  priority?: 'true' | 'false';
  @ApiPropertyOptional({
    type: String,
    maxLength: 200,
    description: 'Full text over title, summary and body, English and French, accents ignored',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: LIST_LIMIT.max,
    default: LIST_LIMIT.default,
    description: `Page size: 1 to ${LIST_LIMIT.max} (more is a 400)`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(3)
  limit?: string;
  @ApiPropertyOptional({ type: String, maxLength: 500, description: '`nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class RecommendationQuery {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    maxLength: 40,
    description: 'ISO 8601 instant: the recommendation as it stood then (replayed from the audit trail)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsIsoInstant()
  asOf?: string;
}
