import { evolve, initial, toView, type RecommendationState, type RecordedEvent } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { deriveRows, ProjectionError } from '../projection.rows';
import { insertDerivedRows, upsertRecommendationRow } from './projection.writes';

/** What the workflow hands the projection: new events, numbered; never the text, never the state. */
export interface PersistInput {
  reference: string;
  events: RecordedEvent[];
}

export interface ProjectionResult {
  /** Events written now; a retry of an input already applied writes 0. */
  inserted: number;
  /** Whether the recommendations row took this change (false when a newer one is stored). */
  viewApplied: boolean;
  /** The highest event seq the row now reflects. */
  version: number;
}

/** Serialises projections of one recommendation (a retried activity may overlap its first attempt). */
const PROJECTION_LOCK = 4_242_002;

interface StoredRow {
  state: RecommendationState | null;
  version: number;
}

/**
 * The only writer of the record on the workflow's behalf. One transaction per call; idempotent by
 * the workflow's event seq, so Temporal may retry the activity as often as it likes.
 *
 * The recommendation's state is folded here with the same `evolve` the workflow runs, from the
 * state stored with the row and the new events, so the workflow never sends its state (or the text)
 * and the two cannot disagree.
 */
@Injectable()
export class ProjectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async persist(input: PersistInput): Promise<ProjectionResult> {
    checkReferences(input.reference, input.events);
    return this.dataSource.transaction((m) => this.persistIn(m, input));
  }

  private async persistIn(m: EntityManager, input: PersistInput): Promise<ProjectionResult> {
    const { reference } = input;
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PROJECTION_LOCK, reference]);
    const [row] = await m.query<StoredRow[]>('SELECT state, version FROM recommendations WHERE reference = $1', [
      reference,
    ]);
    let state = row?.state ?? null;
    let version = row?.version ?? 0;

    const inserted = await insertEvents(m, input.events);
    await insertDerivedRows(m, deriveRows(input.events.filter((e) => inserted.has(e.seq))));

    // Fold what the row has not seen yet, in order and without a gap.
    const fresh = [...input.events].filter((e) => e.seq > version).sort((a, b) => a.seq - b.seq);
    for (const e of fresh) {
      if (e.seq !== version + 1) {
        throw new ProjectionError(
          `${reference}: event #${e.seq} follows #${version}; events #${version + 1}..#${e.seq - 1} are missing`,
        );
      }
      if (state === null) {
        if (e.type !== 'raised')
          throw new ProjectionError(`${reference}: no state to fold event #${e.seq} (${e.type}) onto`);
        state = initial(reference, e);
      } else {
        state = evolve(state, e);
      }
      version = e.seq;
    }
    if (fresh.length === 0 || state === null) return { inserted: inserted.size, viewApplied: false, version };
    // Time-dependent flags (overdue, the next reminder) as of the last event, as the workflow saw them.
    const last = fresh[fresh.length - 1] as RecordedEvent;
    const view = toView(state, Date.parse(last.at));
    const viewApplied = await upsertRecommendationRow(m, { view, textHash: state.textHash, state }, version, true);
    return { inserted: inserted.size, viewApplied, version };
  }
}

function checkReferences(reference: string, events: readonly RecordedEvent[]): void {
  for (const e of events) {
    if (e.reference !== reference)
      throw new ProjectionError(`event #${e.seq} belongs to ${e.reference}, not to ${reference}`);
  }
}

/** Appends events (a seq already there is kept as it is); returns the seqs written now. */
async function insertEvents(m: EntityManager, events: readonly RecordedEvent[]): Promise<Set<number>> {
  if (events.length === 0) return new Set();
  const rows = await m.query<{ seq: number }[]>(
    `INSERT INTO events (reference, seq, type, at, actor, revision, data, command_id)
     SELECT reference, seq, type, at, actor, revision, data, "commandId"
       FROM jsonb_to_recordset($1::jsonb)
         AS e(reference text, seq int, type text, at timestamptz, actor jsonb, revision int, data jsonb, "commandId" text)
     ORDER BY seq
     ON CONFLICT (reference, seq) DO NOTHING
     RETURNING seq`,
    [
      JSON.stringify(
        events.map(({ reference, seq, type, at, actor, revision, data, commandId }) => ({
          reference,
          seq,
          type,
          at,
          actor,
          revision,
          data,
          commandId: commandId ?? null,
        })),
      ),
    ],
  );
  return new Set(rows.map((r) => r.seq));
}
