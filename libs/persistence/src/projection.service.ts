import type { RecommendationView, RecordedEvent } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { deriveRows, pendingNationsOf, ProjectionError } from './projection.rows';

export interface ProjectionInput {
  reference: string;
  events: RecordedEvent[];
  view: RecommendationView;
}

export interface ProjectionResult {
  /** Events written now; a retry of an input already applied writes 0. */
  inserted: number;
  /** Whether the recommendations row took this view (false when a newer one is stored). */
  viewApplied: boolean;
}

/** Serialises projections of one recommendation (a retried activity may overlap its first attempt). */
const PROJECTION_LOCK = 4_242_002;

/**
 * The only writer of the record on the workflow's behalf. One transaction per call; idempotent by
 * the workflow's event seq, so Temporal may retry the activity as often as it likes.
 */
@Injectable()
export class ProjectionService {
  constructor(private readonly dataSource: DataSource) {}

  async apply(input: ProjectionInput): Promise<ProjectionResult> {
    for (const e of input.events) {
      if (e.reference !== input.reference) {
        throw new ProjectionError(`event #${e.seq} belongs to ${e.reference}, not to ${input.reference}`);
      }
    }
    if (input.view.reference !== input.reference) {
      throw new ProjectionError(`the view is of ${input.view.reference}, not of ${input.reference}`);
    }
    return this.dataSource.transaction((m) => this.applyIn(m, input));
  }

  /** The same, inside a caller's transaction (used by the rebuild). */
  async applyIn(m: EntityManager, input: ProjectionInput): Promise<ProjectionResult> {
    const { reference, events, view } = input;
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PROJECTION_LOCK, reference]);

    const insertedSeqs = new Set<number>();
    if (events.length > 0) {
      const rows = await m.query<{ seq: number }[]>(
        `INSERT INTO events (reference, seq, type, at, actor, revision, data)
         SELECT reference, seq, type, at, actor, revision, data
           FROM jsonb_to_recordset($1::jsonb)
             AS e(reference text, seq int, type text, at timestamptz, actor jsonb, revision int, data jsonb)
         ORDER BY seq
         ON CONFLICT (reference, seq) DO NOTHING
         RETURNING seq`,
        [
          JSON.stringify(
            events.map(({ reference: r, seq, type, at, actor, revision, data }) => ({
              reference: r,
              seq,
              type,
              at,
              actor,
              revision,
              data,
            })),
          ),
        ],
      );
      for (const r of rows) insertedSeqs.add(r.seq);
    }

    // Only what this call inserted is derived: a retry adds nothing twice.
    const derived = deriveRows(events.filter((e) => insertedSeqs.has(e.seq)));
    if (derived.revisions.length > 0) {
      await m.query(
        `INSERT INTO revisions (reference, number, title, summary, body, note, actor, created_at)
         SELECT reference, number, title, summary, body, note, actor, "createdAt"
           FROM jsonb_to_recordset($1::jsonb)
             AS r(reference text, number int, title text, summary text, body text, note text, actor jsonb, "createdAt" timestamptz)
         ON CONFLICT (reference, number) DO NOTHING`,
        [JSON.stringify(derived.revisions)],
      );
    }
    if (derived.positions.length > 0) {
      await m.query(
        `INSERT INTO positions (reference, event_seq, kind, round, nation, position, comment, at, actor)
         SELECT reference, "eventSeq", kind, round, nation, position, comment, at, actor
           FROM jsonb_to_recordset($1::jsonb)
             AS p(reference text, "eventSeq" int, kind text, round int, nation text, position text, comment text, at timestamptz, actor jsonb)
         ON CONFLICT (reference, event_seq) DO NOTHING`,
        [JSON.stringify(derived.positions)],
      );
    }
    if (derived.responses.length > 0) {
      await m.query(
        `INSERT INTO national_responses (reference, event_seq, nation, decision, comment, planned_completion, at, actor)
         SELECT reference, "eventSeq", nation, decision, comment, "plannedCompletion", at, actor
           FROM jsonb_to_recordset($1::jsonb)
             AS r(reference text, "eventSeq" int, nation text, decision text, comment text, "plannedCompletion" timestamptz, at timestamptz, actor jsonb)
         ON CONFLICT (reference, event_seq) DO NOTHING`,
        [JSON.stringify(derived.responses)],
      );
    }
    if (derived.progress.length > 0) {
      await m.query(
        `INSERT INTO progress_reports (reference, event_seq, nation, status, percent, comment, evidence_url, at, actor)
         SELECT reference, "eventSeq", nation, status, percent, comment, "evidenceUrl", at, actor
           FROM jsonb_to_recordset($1::jsonb)
             AS p(reference text, "eventSeq" int, nation text, status text, percent int, comment text, "evidenceUrl" text, at timestamptz, actor jsonb)
         ON CONFLICT (reference, event_seq) DO NOTHING`,
        [JSON.stringify(derived.progress)],
      );
    }

    const viewApplied = await this.upsertView(m, view, events);
    return { inserted: insertedSeqs.size, viewApplied };
  }

  private async upsertView(m: EntityManager, view: RecommendationView, events: RecordedEvent[]): Promise<boolean> {
    let version: number;
    if (events.length > 0) {
      version = Math.max(...events.map((e) => e.seq));
    } else {
      // A view with no new event (e.g. a refresh) only lands on a row at the same version, if newer.
      const stored = await m.query<{ version: number }[]>('SELECT version FROM recommendations WHERE reference = $1', [
        view.reference,
      ]);
      version = stored[0]?.version ?? 0;
    }
    const rows = await m.query<unknown[]>(
      `INSERT INTO recommendations AS r (reference, workflow_id, title, summary, body, working_group, language, stage, revision,
                                         target_nations, pending_nations, overdue, next_deadline, created_at, updated_at, closed_at, view, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (reference) DO UPDATE SET
         workflow_id = EXCLUDED.workflow_id, title = EXCLUDED.title, summary = EXCLUDED.summary, body = EXCLUDED.body,
         working_group = EXCLUDED.working_group, language = EXCLUDED.language, stage = EXCLUDED.stage, revision = EXCLUDED.revision,
         target_nations = EXCLUDED.target_nations, pending_nations = EXCLUDED.pending_nations, overdue = EXCLUDED.overdue,
         next_deadline = EXCLUDED.next_deadline, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
         closed_at = EXCLUDED.closed_at, view = EXCLUDED.view, version = EXCLUDED.version
       WHERE r.version < EXCLUDED.version OR (r.version = EXCLUDED.version AND r.updated_at < EXCLUDED.updated_at)
       RETURNING reference`,
      [
        view.reference,
        view.workflowId,
        view.title,
        view.summary,
        view.body,
        view.workingGroup,
        view.language,
        view.stage,
        view.revision,
        view.targetNations,
        pendingNationsOf(view),
        view.nations.some((n) => n.overdue),
        view.nextDeadline,
        view.createdAt,
        view.updatedAt,
        view.closedAt,
        JSON.stringify(view),
        version,
      ],
    );
    return rows.length > 0;
  }
}
