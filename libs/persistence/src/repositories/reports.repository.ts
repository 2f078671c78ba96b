import {
  STAGES,
  WORKING_GROUP_NAMES,
  WORKING_GROUPS,
  type NationCode,
  type Stage,
  type WorkingGroup,
} from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  overviewToCsv,
  rates,
  sumCounts,
  type Counts,
  type NationFigures,
  type Overview,
  type ReportPeriod,
  type WorkingGroupFigures,
} from '../reports';

interface CountRow {
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

interface NationRow extends CountRow {
  code: NationCode;
  name_en: string;
  name_fr: string;
}

interface GroupRow extends CountRow {
  wg: WorkingGroup;
  recommendations: number;
}

/** The counts behind every rate, over `t` (one row per nation per recommendation). */
const COUNTS = `count(t.code)::int AS submitted_to,
                count(*) FILTER (WHERE t.decision IN ('accepted', 'accepted-in-part', 'not-accepted'))::int AS answered,
                count(*) FILTER (WHERE t.state = 'under-consideration')::int AS under_consideration,
                count(*) FILTER (WHERE t.decision = 'accepted')::int AS accepted,
                count(*) FILTER (WHERE t.decision = 'accepted-in-part')::int AS accepted_in_part,
                count(*) FILTER (WHERE t.decision = 'not-accepted')::int AS not_accepted,
                count(*) FILTER (WHERE t.state = 'implemented')::int AS implemented,
                count(*) FILTER (WHERE t.state = 'not-implemented')::int AS not_implemented,
                count(*) FILTER (WHERE t.overdue AND t.stage NOT IN ('closed', 'withdrawn'))::int AS overdue`;

/**
 * The recommendations in the period (`$1`, `$2`: calendar dates, Brussels time, both included; null
 * for all), and each nation's track on each of them, from the view the workflow projected.
 */
const IN_PERIOD = `recs AS (
       SELECT * FROM recommendations
        WHERE ($1::date IS NULL OR created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Brussels'))
          AND ($2::date IS NULL OR created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Brussels'))
     ), tracks AS (
       SELECT r.reference, r.working_group, r.stage, x->>'code' AS code, x->'response'->>'decision' AS decision,
              x->>'state' AS state, (x->>'overdue')::boolean AS overdue
         FROM recs r CROSS JOIN LATERAL jsonb_array_elements(r.view->'nations') x
     )`;

function counts(r: CountRow): Counts {
  return {
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
}

/** The figures the JIU and GAO trackers publish, computed from the read model. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Over every recommendation, or over those raised in `period`. */
  async overview(now: Date = new Date(), period: ReportPeriod | null = null): Promise<Overview> {
    const bounds = [period?.from ?? null, period?.to ?? null];
    const [stages, groups, nations] = await Promise.all([
      this.dataSource.query<{ stage: Stage; n: number }[]>(
        `WITH ${IN_PERIOD} SELECT stage, count(*)::int AS n FROM recs GROUP BY stage`,
        bounds,
      ),
      this.dataSource.query<GroupRow[]>(
        `WITH ${IN_PERIOD}
         SELECT r.working_group AS wg, count(DISTINCT r.reference)::int AS recommendations, ${COUNTS}
           FROM recs r LEFT JOIN tracks t ON t.reference = r.reference
          GROUP BY r.working_group`,
        bounds,
      ),
      this.dataSource.query<NationRow[]>(
        `WITH ${IN_PERIOD}
         SELECT na.code, na.name_en, na.name_fr, ${COUNTS}
           FROM nations na LEFT JOIN tracks t ON t.code = na.code
          GROUP BY na.code, na.name_en, na.name_fr
          ORDER BY na.code`,
        bounds,
      ),
    ]);
    const byStage = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
    for (const r of stages) byStage[r.stage] = r.n;
    const byWorkingGroup = Object.fromEntries(WORKING_GROUPS.map((g) => [g, 0])) as Record<WorkingGroup, number>;
    for (const r of groups) byWorkingGroup[r.wg] = r.recommendations;
    const workingGroups: WorkingGroupFigures[] = WORKING_GROUPS.map((code) => {
      const row = groups.find((g) => g.wg === code);
      const c = row ? counts(row) : sumCounts([]);
      return { code, name: WORKING_GROUP_NAMES[code], recommendations: row?.recommendations ?? 0, ...c, ...rates(c) };
    });
    const figures: NationFigures[] = nations.map((r) => {
      const c = counts(r);
      return { code: r.code, name: { en: r.name_en, fr: r.name_fr }, ...c, ...rates(c) };
    });
    const all = sumCounts(figures);
    return {
      generatedAt: now.toISOString(),
      period,
      total: Object.values(byStage).reduce((a, b) => a + b, 0),
      byStage,
      byWorkingGroup,
      nations: figures,
      workingGroups,
      allNations: { ...all, ...rates(all) },
    };
  }

  toCsv(overview: Overview): string {
    return overviewToCsv(overview);
  }
}
