import type { Decision, NationCode, ProgressStatus } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The week a digest covers, and the instant its "due" and "overdue" are reckoned at (its end). */
export interface DigestWindow {
  /** Start of the week, included. */
  from: string;
  /** End of the week, excluded; also the instant "overdue" and "due within the horizon" refer to. */
  to: string;
  /** End of "falls due soon", excluded (`to` + 14 days). */
  horizon: string;
}

interface Line {
  reference: string;
  title: string;
  /** A priority recommendation: its lines come first. */
  priority: boolean;
  nation: NationCode;
  nationName: { en: string; fr: string };
}

export interface AnswerLine extends Line {
  decision: Decision;
  at: string;
}

export interface ReportLine extends Line {
  status: ProgressStatus;
  percent: number | null;
  at: string;
}

/** What a nation owes: an answer to the recommendation, or its next progress report. */
export interface DueLine extends Line {
  kind: 'response' | 'progress';
  dueAt: string;
}

export interface EscalationLine extends Line {
  sentAt: string;
}

export interface WeeklyDigestData {
  window: DigestWindow;
  answers: AnswerLine[];
  reports: ReportLine[];
  dueSoon: DueLine[];
  overdue: DueLine[];
  escalations: EscalationLine[];
}

type Row<T> = Omit<T, 'nationName' | 'at' | 'dueAt' | 'sentAt'> & {
  name_en: string;
  name_fr: string;
  at?: Date;
  due_at?: Date;
  sent_at?: Date;
};

function line<T extends Line>(r: Row<T>): T {
  const { name_en, name_fr, at, due_at, sent_at, ...rest } = r;
  return {
    ...rest,
    nationName: { en: name_en, fr: name_fr },
    ...(at ? { at: at.toISOString() } : {}),
    ...(due_at ? { dueAt: due_at.toISOString() } : {}),
    ...(sent_at ? { sentAt: sent_at.toISOString() } : {}),
  } as unknown as T;
}

/**
 * The secretariat's week, from the record: answers and progress reports received, what falls due
 * soon and what is overdue (each nation's next due date in the read model, reckoned at the window's
 * end, so a late or repeated run of the same week gives the same lists), and the escalations sent.
 * Priority recommendations come first in every list.
 */
@Injectable()
export class DigestRepository {
  constructor(private readonly dataSource: DataSource) {}

  async weekly(window: DigestWindow): Promise<WeeklyDigestData> {
    const q = this.dataSource;
    const [answers, reports, due, escalations] = await Promise.all([
      q.query<Row<AnswerLine>[]>(
        `SELECT a.reference, r.title, r.priority, a.nation, n.name_en, n.name_fr, a.decision, a.at
           FROM national_responses a
           JOIN recommendations r ON r.reference = a.reference
           JOIN nations n ON n.code = a.nation
          WHERE a.at >= $1 AND a.at < $2
          ORDER BY r.priority DESC, a.reference, a.nation, a.at`,
        [window.from, window.to],
      ),
      q.query<Row<ReportLine>[]>(
        `SELECT p.reference, r.title, r.priority, p.nation, n.name_en, n.name_fr, p.status, p.percent, p.at
           FROM progress_reports p
           JOIN recommendations r ON r.reference = p.reference
           JOIN nations n ON n.code = p.nation
          WHERE p.at >= $1 AND p.at < $2
          ORDER BY r.priority DESC, p.reference, p.nation, p.at`,
        [window.from, window.to],
      ),
      // A nation still chased on a recommendation in submitted or follow-up: its next due date.
      q.query<(Row<DueLine> & { due_at: Date })[]>(
        `SELECT r.reference, r.title, r.priority, t.code AS nation, n.name_en, n.name_fr,
                CASE WHEN t.state IN ('awaiting-response', 'under-consideration') THEN 'response' ELSE 'progress' END AS kind,
                t.due_at
           FROM recommendations r
           CROSS JOIN LATERAL (
             SELECT x->>'code' AS code, x->>'state' AS state, (x->>'nextDue')::timestamptz AS due_at
               FROM jsonb_array_elements(r.view->'nations') x
           ) t
           JOIN nations n ON n.code = t.code
          WHERE r.stage IN ('submitted', 'follow-up')
            AND t.state NOT IN ('not-accepted', 'implemented', 'not-implemented')
            AND t.due_at IS NOT NULL AND t.due_at < $1
          ORDER BY r.priority DESC, t.due_at, r.reference, t.code`,
        [window.horizon],
      ),
      // Escalation identities are <reference>/escalation/secretariat/<nation>/…: the nation is the fourth part.
      q.query<Row<EscalationLine>[]>(
        `SELECT e.reference, r.title, r.priority, split_part(e.identity, '/', 4) AS nation, n.name_en, n.name_fr, e.sent_at
           FROM notifications e
           JOIN recommendations r ON r.reference = e.reference
           JOIN nations n ON n.code = split_part(e.identity, '/', 4)
          WHERE e.kind = 'escalation' AND e.status = 'sent' AND e.sent_at >= $1 AND e.sent_at < $2
          ORDER BY r.priority DESC, e.reference, nation, e.sent_at`,
        [window.from, window.to],
      ),
    ]);
    const end = new Date(window.to).getTime();
    const dueLines = due.map((r) => line<DueLine>(r));
    return {
      window,
      answers: answers.map((r) => line<AnswerLine>(r)),
      reports: reports.map((r) => line<ReportLine>(r)),
      dueSoon: dueLines.filter((d) => new Date(d.dueAt).getTime() >= end),
      overdue: dueLines.filter((d) => new Date(d.dueAt).getTime() < end),
      escalations: escalations.map((r) => line<EscalationLine>(r)),
    };
  }
}
