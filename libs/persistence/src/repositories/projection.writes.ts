import { RECOMMENDATION_CHANGED } from './recommendation-changes';
import type { RecommendationState, StateView } from '@app/domain';
import type { EntityManager } from 'typeorm';
import { pendingNationsOf, type DerivedRows } from '../projection.rows';

/**
 * Writes of the read model shared by the live projection and the rebuild: the rows derived from
 * events (revisions, positions, responses, progress reports; a row already there is kept) and the
 * recommendation's row with its view.
 */
export async function insertDerivedRows(m: EntityManager, derived: DerivedRows): Promise<void> {
  if (derived.revisions.length > 0) {
    await m.query(
      `INSERT INTO revisions (reference, number, text_hash, note, actor, created_at)
       SELECT reference, number, "textHash", note, actor, "createdAt"
         FROM jsonb_to_recordset($1::jsonb)
           AS r(reference text, number int, "textHash" text, note text, actor jsonb, "createdAt" timestamptz)
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
           AS r(reference text, "eventSeq" int, nation text, decision text, comment text, "plannedCompletion" text, at timestamptz, actor jsonb)
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
}

/** A retried or late projection never overwrites a newer view. */
const NEWER_ONLY =
  'WHERE r.version < EXCLUDED.version OR (r.version = EXCLUDED.version AND r.updated_at < EXCLUDED.updated_at)';

/** What the recommendation's row holds: its view (without the text), the text's hash, the folded state. */
export interface RecommendationRow {
  view: StateView;
  textHash: string;
  state: RecommendationState;
}

/**
 * Upserts the recommendation's row at `version`; with `ifNewer` only over an older one (the live
 * projection), otherwise whatever is stored (the rebuild). Returns whether the row was written.
 */
export async function upsertRecommendationRow(
  m: EntityManager,
  row: RecommendationRow,
  version: number,
  ifNewer: boolean,
): Promise<boolean> {
  const { view } = row;
  const rows = await m.query<unknown[]>(
    `INSERT INTO recommendations AS r (reference, workflow_id, title, text_hash, working_group, language, stage, revision,
                                       target_nations, pending_nations, overdue, next_deadline, created_at, updated_at, closed_at, view, state, version,
                                       priority)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT (reference) DO UPDATE SET
       workflow_id = EXCLUDED.workflow_id, title = EXCLUDED.title, text_hash = EXCLUDED.text_hash,
       working_group = EXCLUDED.working_group, language = EXCLUDED.language, stage = EXCLUDED.stage, revision = EXCLUDED.revision,
       target_nations = EXCLUDED.target_nations, pending_nations = EXCLUDED.pending_nations, overdue = EXCLUDED.overdue,
       next_deadline = EXCLUDED.next_deadline, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
       closed_at = EXCLUDED.closed_at, view = EXCLUDED.view, state = EXCLUDED.state, version = EXCLUDED.version,
       priority = EXCLUDED.priority
     ${ifNewer ? NEWER_ONLY : ''}
     RETURNING reference`,
    [
      view.reference,
      view.workflowId,
      view.title,
      row.textHash,
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
      JSON.stringify(row.state),
      version,
      // Views projected before priority existed have none: not a priority recommendation.
      view.priority === true,
    ],
  );
  if (rows.length === 0) return false;
  // Heard at commit by whatever watches this recommendation (a send in flight: `RecommendationChanges`).
  await m.query(`SELECT pg_notify($1, $2)`, [RECOMMENDATION_CHANGED, view.reference]);
  return true;
}
