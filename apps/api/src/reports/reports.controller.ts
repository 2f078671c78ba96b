import { ReportsService, type Overview } from '@app/persistence';
import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** JSON by default; the per-nation table as CSV when the client asks for `text/csv`. */
  @Get('overview')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'Counts by stage and working group; per nation: submitted to, answered, accepted, accepted in part, implemented, overdue; acceptance and implementation rates',
  })
  async overview(
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Overview | string> {
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
