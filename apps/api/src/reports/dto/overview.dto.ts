import { ApiProperty } from '@nestjs/swagger';
import { STAGES, WORKING_GROUPS, type NationCode, type Stage, type WorkingGroup } from '@app/domain';
import type { NationFigures, Overview, ReportPeriod, WorkingGroupFigures } from '@app/persistence';
import { ENUMS, instant } from '../../openapi/schemas';

const count = (description: string) => ({ type: Number, format: 'int32', minimum: 0, description }) as const;
const rate = (description: string) => ({ type: Number, minimum: 0, maximum: 1, nullable: true, description }) as const;

/** A count per key, every key present (0 when none). */
const countsBy = (keys: readonly string[], description: string) => ({
  type: 'object' as const,
  description,
  properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer' as const, format: 'int32', minimum: 0 }])),
  required: [...keys],
});

/** Figures over every recommendation submitted to a nation (or to all of them). */
export class FiguresDto implements Omit<NationFigures, 'code' | 'name'> {
  @ApiProperty(count('Recommendations submitted to the nation')) submittedTo!: number;
  @ApiProperty(count('Final answers: accepted, accepted in part or not accepted')) answered!: number;
  @ApiProperty(count('Interim answers')) underConsideration!: number;
  @ApiProperty(count('Accepted')) accepted!: number;
  @ApiProperty(count('Accepted in part')) acceptedInPart!: number;
  @ApiProperty(count('Not accepted')) notAccepted!: number;
  @ApiProperty(count('Implemented')) implemented!: number;
  @ApiProperty(count('Not implemented')) notImplemented!: number;
  @ApiProperty(count('Responses or progress reports overdue now, on recommendations still open')) overdue!: number;
  @ApiProperty(rate('(accepted + accepted in part) / answered; null when nothing was answered')) acceptanceRate!:
    number | null;
  @ApiProperty(rate('implemented / (accepted + accepted in part); null when nothing was accepted'))
  implementationRate!: number | null;
}

export class NationNamesDto {
  @ApiProperty({ type: String, example: 'France' }) en!: string;
  @ApiProperty({ type: String, example: 'France' }) fr!: string;
}

export class NationFiguresDto extends FiguresDto implements NationFigures {
  @ApiProperty(ENUMS.nation) code!: NationCode;
  @ApiProperty({ type: () => NationNamesDto }) name!: NationNamesDto;
}

export class WorkingGroupFiguresDto extends FiguresDto implements WorkingGroupFigures {
  @ApiProperty(ENUMS.workingGroup) code!: WorkingGroup;
  @ApiProperty({ type: () => NationNamesDto, description: "The working group's name, EN and FR" })
  name!: NationNamesDto;
  @ApiProperty(count('Recommendations of the working group')) recommendations!: number;
}

export class ReportPeriodDto implements ReportPeriod {
  @ApiProperty({ type: String, format: 'date', example: '2026-01-01', description: 'First day, Brussels time' })
  from!: string;
  @ApiProperty({
    type: String,
    format: 'date',
    example: '2026-12-31',
    description: 'Last day, Brussels time, included',
  })
  to!: string;
}

/** `GET /api/v1/reports/overview` as JSON. */
export class OverviewDto implements Overview {
  @ApiProperty(instant()) generatedAt!: string;
  @ApiProperty({
    type: () => ReportPeriodDto,
    nullable: true,
    description: 'The recommendations counted: those raised in this period; null for all of them',
  })
  period!: ReportPeriodDto | null;
  @ApiProperty(count('Recommendations, all stages')) total!: number;
  @ApiProperty(countsBy(STAGES, 'Recommendations by stage')) byStage!: Record<Stage, number>;
  @ApiProperty(countsBy(WORKING_GROUPS, 'Recommendations by working group')) byWorkingGroup!: Record<
    WorkingGroup,
    number
  >;
  @ApiProperty({ type: () => NationFiguresDto, isArray: true, description: 'One entry per Ally' })
  nations!: NationFiguresDto[];
  @ApiProperty({ type: () => WorkingGroupFiguresDto, isArray: true, description: 'One entry per working group' })
  workingGroups!: WorkingGroupFiguresDto[];
  @ApiProperty({ type: () => FiguresDto, description: 'The same figures over all nations' }) allNations!: FiguresDto;
}
