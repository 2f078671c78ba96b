import { LANGUAGES, type Language } from '@app/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class OverviewQuery {
  @ApiPropertyOptional({
    description:
      'First day of the period, YYYY-MM-DD (Brussels time): only recommendations raised from that day count. Goes with `to`.',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(DATE, { message: 'from must be a calendar date, YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({
    description: 'Last day of the period, YYYY-MM-DD (Brussels time), included. Goes with `from`.',
    example: '2026-12-31',
  })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(DATE, { message: 'to must be a calendar date, YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'en', description: 'Language of the chart (`image/svg+xml` only)' })
  @IsOptional()
  @IsIn(LANGUAGES)
  lang?: Language;
}
