import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NATION_CODES, WORKING_GROUPS, type NationCode, type WorkingGroup } from '@app/domain';
import { FEED_LIMIT } from '@app/persistence';
import { ENUMS } from '../../openapi/schemas';
import { EventDto } from '../../recommendations/dto/recommendation-reads.dto';

export class ChangeFeedQuery {
  @ApiPropertyOptional({
    type: String,
    maxLength: 60,
    description: 'A `position` this feed returned: the events after it. Left out: from the first event',
  })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  after?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: FEED_LIMIT.max,
    default: FEED_LIMIT.default,
    description: `Events per page: 1 to ${FEED_LIMIT.max} (more is a 400)`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(4)
  limit?: string;

  @ApiPropertyOptional({
    type: String,
    maxLength: 600,
    description: 'Only these event types, comma-separated (e.g. `national-response,progress-reported`)',
    example: 'national-response',
  })
  @IsOptional()
  @IsString()
  @MaxLength(600)
  type?: string;

  @ApiPropertyOptional({ type: String, description: "One recommendation's events", example: 'DIPB-2026-0001' })
  @IsOptional()
  @IsString()
  @Matches(/^DIPB-\d{4}-\d{4,6}$/, { message: 'reference must look like DIPB-2026-0001' })
  reference?: string;

  @ApiPropertyOptional({
    ...ENUMS.nation,
    description: "A nation's part: the events of recommendations it is a target of, other nations' own left out",
  })
  @IsOptional()
  @IsIn(NATION_CODES)
  nation?: NationCode;

  @ApiPropertyOptional(ENUMS.workingGroup)
  @IsOptional()
  @IsIn(WORKING_GROUPS)
  workingGroup?: WorkingGroup;
}

/** An event of the feed: the audit trail's entry, and where it stands in the feed. */
export class FeedEventDto extends EventDto {
  @ApiProperty({ type: String, description: 'Opaque: pass it as `after` to read the events after this one' })
  position!: string;
}

/** A page of the change feed, in the order events were committed. */
export class ChangeFeedPageDto {
  @ApiProperty({ type: () => FeedEventDto, isArray: true }) items!: FeedEventDto[];
  @ApiProperty({
    type: String,
    description:
      'Where to resume: pass it as `after`. Always set; when `items` is shorter than `limit` the feed has been read to its end for now',
  })
  position!: string;
}
