import { evolve, initial, toView, type RecommendationState, type RecommendationView, type RecordedEvent } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { deriveRows, ProjectionError } from '../projection.rows';
import { insertDerivedRows, upsertRecommendationRow } from './projection.writes';
import { hashText } from './texts.repository';

/** What the workflow hands the projection: new events, numbered; never the text, never the state. */
export interface PersistInput {
  reference: string;
  events: RecordedEvent[];
  /**
   * The state to fold onto when PostgreSQL has none yet for this recommendation: given once, by a
   * run that took over from the v1 code (whose projection kept no state).
   */
  base?: { state: RecommendationState; version: number };
}

/** The v1 code's projection input: events and a view that carried the text. */
export interface LegacyProjectInput {
  reference: string;
  events: RecordedEvent[];
  view: Omit<RecommendationView, 'textHash'>;
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
    const [row] = await m.query<StoredRow[]>('SELECT state, version FROM recommendations WHERE reference = $1', [reference]);
    let state = row?.state ?? input.base?.state ?? null;
    let version = row?.state ? row.version : (input.base?.version ?? row?.version ?? 0);

    const inserted = await insertEvents(m, input.events);
    await insertDerivedRows(m, deriveRows(input.events.filter((e) => inserted.has(e.seq))));

    // Fold what the row has not seen yet, in order and without a gap.
    const fresh = [...input.events].filter((e) => e.seq > version).sort((a, b) => a.seq - b.seq);
    for (const e of fresh) {
      if (e.seq !== version + 1) {
        throw new ProjectionError(`${reference}: event #${e.seq} follows #${version}; events #${version + 1}..#${e.seq - 1} are missing`);
      }
      if (state === null) {
        if (e.type !== 'raised') throw new ProjectionError(`${reference}: no state to fold event #${e.seq} (${e.type}) onto`);
        state = initial(reference, e);
      } else {
        state = evolve(state, e);
      }
      version = e.seq;
    }
    // A run moved from the v1 code hands its state over even before its first event here.
    const handedOver = input.base !== undefined && !row?.state;
    if ((fresh.length === 0 && !handedOver) || state === null) return { inserted: inserted.size, viewApplied: false, version };
    if (state.textHash === null) throw new ProjectionError(`${reference}: the state names no text`);
    // Time-dependent flags (overdue, the next reminder) as of the last event, as the workflow saw them.
    const last = fresh.at(-1);
    const asOf = last ? Date.parse(last.at) : Date.now();
    const view = toView(state, asOf);
    const viewApplied = await upsertRecommendationRow(m, { view, textHash: state.textHash, state }, version, handedOver ? false : true);
    return { inserted: inserted.size, viewApplied, version };
  }

  /**
   * The v1 code's projection (runs started before the texts moved out of history): the view it
   * sends carries the text, which is stored under its hash; the row keeps no state.
   */
  async applyLegacy(input: LegacyProjectInput): Promise<ProjectionResult> {
    checkReferences(input.reference, input.events);
    if (input.view.reference !== input.reference) {
      throw new ProjectionError(`the view is of ${input.view.reference}, not of ${input.reference}`);
    }
    return this.dataSource.transaction((m) => this.applyLegacyIn(m, input));
  }

  private async applyLegacyIn(m: EntityManager, input: LegacyProjectInput): Promise<ProjectionResult> {
    const { reference, events } = input;
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PROJECTION_LOCK, reference]);
    const inserted = await insertEvents(m, events);
    await insertDerivedRows(m, deriveRows(events.filter((e) => inserted.has(e.seq))));
    const { summary, body, ...rest } = input.view;
    const text = { title: rest.title, summary, body };
    const textHash = hashText(text);
    await m.query(`INSERT INTO texts (hash, title, summary, body) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING`, [
      textHash,
      text.title,
      summary,
      body,
    ]);
    let version: number;
    if (events.length > 0) {
      version = Math.max(...events.map((e) => e.seq));
    } else {
      const stored = await m.query<{ version: number }[]>('SELECT version FROM recommendations WHERE reference = $1', [reference]);
      version = stored[0]?.version ?? 0;
    }
    const viewApplied = await upsertRecommendationRow(m, { view: { ...rest, textHash }, textHash, state: null }, version, true);
    return { inserted: inserted.size, viewApplied, version };
  }
}

function checkReferences(reference: string, events: readonly RecordedEvent[]): void {
  for (const e of events) {
    if (e.reference !== reference) throw new ProjectionError(`event #${e.seq} belongs to ${e.reference}, not to ${reference}`);
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
