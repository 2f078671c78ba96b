import { ReportsService } from '@app/persistence';
import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems } from '../problem/problem.dto';
import { OverviewDto } from './dto/overview.dto';

const CSV_EXAMPLE =
  'code,name_en,name_fr,submitted_to,answered,under_consideration,accepted,accepted_in_part,not_accepted,implemented,not_implemented,overdue,acceptance_rate,implementation_rate\r\n' +
  'ALB,Albania,Albanie,0,0,0,0,0,0,0,0,0,,\r\n';

@ApiTags('reports')
@ApiExtraModels(OverviewDto)
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** JSON by default; the per-nation table as CSV when the client asks for `text/csv`. */
  @Get('overview')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Acceptance and implementation, by stage, working group and nation (JSON, or CSV with Accept: text/csv)' })
  @ApiOkResponse({
    description:
      'Counts by stage and working group; per nation: submitted to, answered, accepted, accepted in part, implemented, overdue; acceptance and implementation rates. ' +
      'As CSV (one row per nation and a final ALL row) when Accept prefers text/csv.',
    headers: {
      ETag: {
        description: 'Weak validator; send it back in If-None-Match to get 304 when nothing changed (a request with Cache-Control: no-cache always gets 200)',
        schema: { type: 'string' },
      },
      'Content-Disposition': { description: 'With CSV: attachment; filename="dipb-overview-<date>.csv"', schema: { type: 'string' } },
    },
    content: {
      'application/json': { schema: { $ref: getSchemaPath(OverviewDto) } },
      'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
    },
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer: 304 Not Modified if it still matches' })
  @ApiResponse({ status: 304, description: 'Not modified: the ETag in If-None-Match still matches (no body)' })
  @ApiProblems(401, 429, 503)
  async overview(
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OverviewDto | string> {
    const overview = await this.reports.overview();
    if (!wantsCsv(accept)) return overview;
    res.type('text/csv; charset=utf-8').attachment(`dipb-overview-${overview.generatedAt.slice(0, 10)}.csv`);
    return this.reports.toCsv(overview);
  }
}

/** CSV only when asked for explicitly and preferred over JSON (a browser's wildcard gets JSON). */
export function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranked = accept
    .split(',')
    .map((part, i) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: qParam ? Number(qParam.slice(2)) : 1, i };
    })
    .filter((m) => m.q > 0 && (m.type === 'text/csv' || m.type === 'application/json'))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.type === 'text/csv';
}
