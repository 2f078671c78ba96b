import type { RecommendationView, RecordedEvent } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { deriveRows, ProjectionError } from './projection.rows';
import { insertDerivedRows, upsertRecommendationRow } from './projection.writes';

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
    await insertDerivedRows(m, deriveRows(events.filter((e) => insertedSeqs.has(e.seq))));

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
    return upsertRecommendationRow(m, view, version, true);
  }
}
