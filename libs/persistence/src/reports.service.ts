import { STAGES, WORKING_GROUPS, type NationCode, type Stage, type WorkingGroup } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { overviewToCsv, rates, sumCounts, type Counts, type NationFigures, type Overview } from './reports';

interface NationRow {
  code: NationCode;
  name_en: string;
  name_fr: string;
  submitted_to: number;
  answered: number;
  under_consideration: number;
  accepted: number;
  accepted_in_part: number;
  not_accepted: number;
  implemented: number;
  not_implemented: number;
  overdue: number;
}

/** The figures the JIU and GAO trackers publish, computed from the read model. */
@Injectable()
export class ReportsService {
  constructor(private readonly dataSource: DataSource) {}

  async overview(now: Date = new Date()): Promise<Overview> {
    const [stages, groups, nations] = await Promise.all([
      this.dataSource.query<{ stage: Stage; n: number }[]>(
        'SELECT stage, count(*)::int AS n FROM recommendations GROUP BY stage',
      ),
      this.dataSource.query<{ wg: WorkingGroup; n: number }[]>(
        'SELECT working_group AS wg, count(*)::int AS n FROM recommendations GROUP BY working_group',
      ),
      // Each nation's track on each recommendation, from the view the workflow projected.
      this.dataSource.query<NationRow[]>(
        `SELECT na.code, na.name_en, na.name_fr,
                count(t.code)::int AS submitted_to,
                count(*) FILTER (WHERE t.decision IN ('accepted', 'accepted-in-part', 'not-accepted'))::int AS answered,
                count(*) FILTER (WHERE t.state = 'under-consideration')::int AS under_consideration,
                count(*) FILTER (WHERE t.decision = 'accepted')::int AS accepted,
                count(*) FILTER (WHERE t.decision = 'accepted-in-part')::int AS accepted_in_part,
                count(*) FILTER (WHERE t.decision = 'not-accepted')::int AS not_accepted,
                count(*) FILTER (WHERE t.state = 'implemented')::int AS implemented,
                count(*) FILTER (WHERE t.state = 'not-implemented')::int AS not_implemented,
                count(*) FILTER (WHERE t.overdue AND t.stage NOT IN ('closed', 'withdrawn'))::int AS overdue
           FROM nations na
           LEFT JOIN (
             SELECT x->>'code' AS code, x->'response'->>'decision' AS decision, x->>'state' AS state,
                    (x->>'overdue')::boolean AS overdue, r.stage
               FROM recommendations r CROSS JOIN LATERAL jsonb_array_elements(r.view->'nations') x
           ) t ON t.code = na.code
          GROUP BY na.code, na.name_en, na.name_fr
          ORDER BY na.code`,
      ),
    ]);
    const byStage = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
    for (const r of stages) byStage[r.stage] = r.n;
    const byWorkingGroup = Object.fromEntries(WORKING_GROUPS.map((g) => [g, 0])) as Record<WorkingGroup, number>;
    for (const r of groups) byWorkingGroup[r.wg] = r.n;
    const figures: NationFigures[] = nations.map((r) => {
      const counts: Counts = {
        submittedTo: r.submitted_to,
        answered: r.answered,
        underConsideration: r.under_consideration,
        accepted: r.accepted,
        acceptedInPart: r.accepted_in_part,
        notAccepted: r.not_accepted,
        implemented: r.implemented,
        notImplemented: r.not_implemented,
        overdue: r.overdue,
      };
      return { code: r.code, name: { en: r.name_en, fr: r.name_fr }, ...counts, ...rates(counts) };
    });
    const all = sumCounts(figures);
    return {
      generatedAt: now.toISOString(),
      total: Object.values(byStage).reduce((a, b) => a + b, 0),
      byStage,
      byWorkingGroup,
      nations: figures,
      allNations: { ...all, ...rates(all) },
    };
  }

  toCsv(overview: Overview): string {
    return overviewToCsv(overview);
  }
}
