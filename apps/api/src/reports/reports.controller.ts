import { ReportsRepository } from '@app/persistence';
import { overviewChartSvg } from '@app/reports';
import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import { ProblemException } from '../problem/problem';
import { ApiProblems } from '../problem/problem.dto';
import { OverviewQuery } from './dto/overview-query.dto';
import { OverviewDto } from './dto/overview.dto';

const CSV_EXAMPLE =
  'code,name_en,name_fr,submitted_to,answered,under_consideration,accepted,accepted_in_part,not_accepted,implemented,not_implemented,overdue,acceptance_rate,implementation_rate\r\n' +
  'ALB,Albania,Albanie,0,0,0,0,0,0,0,0,0,,\r\n';

export const OVERVIEW_TYPES = ['application/json', 'text/csv', 'image/svg+xml'] as const;
export type OverviewType = (typeof OVERVIEW_TYPES)[number];

@ApiTags('reports')
@ApiExtraModels(OverviewDto)
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsRepository) {}

  /**
   * JSON by default; the per-nation table as CSV (`Accept: text/csv`), or the main chart —
   * acceptance and implementation rates per nation — as an SVG image (`Accept: image/svg+xml`).
   */
  @Get('overview')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Acceptance and implementation, by stage, working group and nation (JSON; CSV with Accept: text/csv; the rate chart with Accept: image/svg+xml)',
  })
  @ApiProduces(...OVERVIEW_TYPES)
  @ApiOkResponse({
    description:
      'Counts by stage and working group; per nation and per working group: submitted to, answered, accepted, accepted in part, implemented, overdue; ' +
      'acceptance and implementation rates (defined in docs/design.md). `text/csv`: the per-nation table (one row per nation and a final ALL row). ' +
      '`image/svg+xml`: the chart of acceptance and implementation rates per nation (labels in `lang`).',
    headers: {
      ETag: {
        description:
          'Weak validator; send it back in If-None-Match to get 304 when nothing changed (a request with Cache-Control: no-cache always gets 200)',
        schema: { type: 'string' },
      },
      'Content-Disposition': {
        description: 'With CSV: attachment; filename="dipb-overview-<date>.csv"',
        schema: { type: 'string' },
      },
    },
    content: {
      'application/json': { schema: { $ref: getSchemaPath(OverviewDto) } },
      'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
      'image/svg+xml': { schema: { type: 'string' } },
    },
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'An ETag from an earlier answer: 304 Not Modified if it still matches',
  })
  @ApiResponse({ status: 304, description: 'Not modified: the ETag in If-None-Match still matches (no body)' })
  @ApiProblems(400, 401, 429, 503)
  async overview(
    @Query() query: OverviewQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OverviewDto | string> {
    const overview = await this.reports.overview(new Date(), period(query));
    res.vary('Accept');
    switch (negotiate(accept)) {
      case 'application/json':
        return overview;
      case 'text/csv':
        res.type('text/csv; charset=utf-8').attachment(`dipb-overview-${overview.generatedAt.slice(0, 10)}.csv`);
        return this.reports.toCsv(overview);
      case 'image/svg+xml':
        res.type('image/svg+xml; charset=utf-8');
        return overviewChartSvg(overview, query.lang ?? 'en');
    }
  }
}

function period(query: OverviewQuery): { from: string; to: string } | null {
  if (query.from === undefined && query.to === undefined) return null;
  if (query.from === undefined || query.to === undefined) {
    throw new ProblemException(400, 'from and to go together: give both, or neither for every recommendation');
  }
  for (const [field, value] of [
    ['from', query.from],
    ['to', query.to],
  ] as const) {
    if (!DateTime.fromISO(value, { zone: 'Europe/Brussels' }).isValid) {
      throw new ProblemException(400, `${field} ${value} is not a calendar date`, {
        errors: [{ field, message: 'not a calendar date' }],
      });
    }
  }
  if (query.from > query.to)
    throw new ProblemException(400, `the period ends (${query.to}) before it starts (${query.from})`);
  return { from: query.from, to: query.to };
}

/** The representation the client prefers among ours; JSON unless another is preferred (a browser's wildcard gets JSON). */
export function negotiate(accept: string | undefined): OverviewType {
  if (!accept) return 'application/json';
  const ranked = accept
    .split(',')
    .map((part, i) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: qParam ? Number(qParam.slice(2)) : 1, i };
    })
    .filter(
      (m): m is { type: OverviewType; q: number; i: number } =>
        m.q > 0 && (OVERVIEW_TYPES as readonly string[]).includes(m.type),
    )
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.type ?? 'application/json';
}
