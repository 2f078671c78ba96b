import type { NationCode, Stage, WorkingGroup } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReportPeriod } from '../reports';

/** An answer or a progress report overdue now, on a recommendation still open. */
export interface OverdueItem {
  reference: string;
  title: string;
  priority: boolean;
  nation: NationCode;
  nationName: { en: string; fr: string };
  kind: 'response' | 'progress';
  dueAt: string;
}

/** One recommendation's status and dates, for the Board. */
export interface RecommendationStatus {
  reference: string;
  title: string;
  /** A priority recommendation: listed first. */
  priority: boolean;
  workingGroup: WorkingGroup;
  stage: Stage;
  raisedAt: string;
  submittedAt: string | null;
  responseDue: string | null;
  closedAt: string | null;
  withdrawnAt: string | null;
  nations: number;
  /** Final answers (accepted, accepted in part, not accepted). */
  answered: number;
  accepting: number;
  implemented: number;
}

export interface BoardReportDetails {
  overdue: OverdueItem[];
  recommendations: RecommendationStatus[];
}

/** The same recommendations as the overview of the same period (raised from `from` to `to`, Brussels). */
const IN_PERIOD = `SELECT * FROM recommendations
                    WHERE created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Brussels')
                      AND created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Brussels')`;

/**
 * The lists behind the Board report's figures: what is overdue (counted as the overview counts it:
 * the nation's overdue flag in the read model, on a recommendation neither closed nor withdrawn),
 * and each recommendation's status with its dates. Priority recommendations come first in both.
 */
@Injectable()
export class BoardReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  async details(period: ReportPeriod): Promise<BoardReportDetails> {
    const bounds = [period.from, period.to];
    const [overdue, recommendations] = await Promise.all([
      this.dataSource.query<
        (Omit<OverdueItem, 'nationName' | 'dueAt'> & { name_en: string; name_fr: string; due_at: Date })[]
      >(
        `SELECT r.reference, r.title, r.priority, x->>'code' AS nation, n.name_en, n.name_fr,
                CASE WHEN x->>'state' IN ('awaiting-response', 'under-consideration') THEN 'response' ELSE 'progress' END AS kind,
                (x->>'nextDue')::timestamptz AS due_at
           FROM (${IN_PERIOD}) r
           CROSS JOIN LATERAL jsonb_array_elements(r.view->'nations') x
           JOIN nations n ON n.code = x->>'code'
          WHERE (x->>'overdue')::boolean AND r.stage NOT IN ('closed', 'withdrawn')
          ORDER BY r.priority DESC, due_at, r.reference, nation`,
        bounds,
      ),
      this.dataSource.query<
        {
          reference: string;
          title: string;
          priority: boolean;
          working_group: WorkingGroup;
          stage: Stage;
          created_at: Date;
          submitted_at: string | null;
          response_due: string | null;
          closed_at: Date | null;
          withdrawn_at: string | null;
          nations: number;
          answered: number;
          accepting: number;
          implemented: number;
        }[]
      >(
        `SELECT r.reference, r.title, r.priority, r.working_group, r.stage, r.created_at, r.closed_at,
                r.view->'submission'->>'submittedAt' AS submitted_at, r.view->'submission'->>'responseDue' AS response_due,
                r.view->'withdrawal'->>'at' AS withdrawn_at,
                cardinality(r.target_nations) AS nations,
                (SELECT count(*) FROM jsonb_array_elements(r.view->'nations') x
                  WHERE x->'response'->>'decision' IN ('accepted', 'accepted-in-part', 'not-accepted'))::int AS answered,
                (SELECT count(*) FROM jsonb_array_elements(r.view->'nations') x
                  WHERE x->'response'->>'decision' IN ('accepted', 'accepted-in-part'))::int AS accepting,
                (SELECT count(*) FROM jsonb_array_elements(r.view->'nations') x WHERE x->>'state' = 'implemented')::int AS implemented
           FROM (${IN_PERIOD}) r
          ORDER BY r.priority DESC, r.created_at, r.reference`,
        bounds,
      ),
    ]);
    return {
      overdue: overdue.map(({ name_en, name_fr, due_at, ...o }) => ({
        ...o,
        nationName: { en: name_en, fr: name_fr },
        dueAt: due_at.toISOString(),
      })),
      recommendations: recommendations.map((r) => ({
        reference: r.reference,
        title: r.title,
        priority: r.priority,
        workingGroup: r.working_group,
        stage: r.stage,
        raisedAt: r.created_at.toISOString(),
        submittedAt: r.submitted_at,
        responseDue: r.response_due,
        closedAt: r.closed_at ? r.closed_at.toISOString() : null,
        withdrawnAt: r.withdrawn_at,
        nations: r.nations,
        answered: r.answered,
        accepting: r.accepting,
        implemented: r.implemented,
      })),
    };
  }
}
