import { replayState, toView, type RecommendationState, type RecordedEvent, type StateView } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { deriveRows, pendingNationsOf, type DerivedRows } from '../projection.rows';
import { insertDerivedRows, upsertRecommendationRow } from './projection.writes';

/** One field of the read model that differs from what the event log says. */
export interface ProjectionDifference {
  reference: string;
  /** e.g. `recommendations.stage`, `view.title`, `revisions[2].body`, `positions[#14]` (missing or extra row). */
  path: string;
  stored: unknown;
  derived: unknown;
}

export interface RebuildReport {
  checked: string[];
  differences: ProjectionDifference[];
  /** References rewritten from the event log (only with `write`). */
  written: string[];
}

/** The projection lock of ProjectionRepository: a rebuild never interleaves with a live projection. */
const PROJECTION_LOCK = 4_242_002;

type Row = Record<string, unknown>;

/** Timestamps compare as instants, whatever their spelling; everything else as JSON. */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    return new Date(value).toISOString();
  }
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Row)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normalise(v)]),
    );
  }
  return value;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));

/**
 * What the read model should say about one recommendation, and how it is compared: the columns and
 * view fields that follow from events alone. Time-dependent flags (`overdue`, the next reminder) are
 * left out: they are as of the last projection, which the log cannot date.
 */
function digest(view: StateView): Row {
  return {
    title: view.title,
    textHash: view.textHash,
    workingGroup: view.workingGroup,
    language: view.language,
    stage: view.stage,
    revision: view.revision,
    targetNations: view.targetNations,
    pendingNations: pendingNationsOf(view),
    nextDeadline: view.nextDeadline,
    createdAt: view.createdAt,
    closedAt: view.closedAt,
    nations: view.nations.map((n) => ({ code: n.code, state: n.state, nextDue: n.nextDue })),
  };
}

/** The derived tables, each keyed as its unique index is. */
const TABLES = {
  revisions: {
    key: (r: Row) => `${String(r.number)}`,
    select: `SELECT reference, number, text_hash AS "textHash", note, actor, created_at AS "createdAt" FROM revisions WHERE reference = $1`,
  },
  positions: {
    key: (r: Row) => `#${String(r.eventSeq)}`,
    select: `SELECT reference, event_seq AS "eventSeq", kind, round, nation, position, comment, at, actor FROM positions WHERE reference = $1`,
  },
  national_responses: {
    key: (r: Row) => `#${String(r.eventSeq)}`,
    select: `SELECT reference, event_seq AS "eventSeq", nation, decision, comment, planned_completion AS "plannedCompletion", at, actor FROM national_responses WHERE reference = $1`,
  },
  progress_reports: {
    key: (r: Row) => `#${String(r.eventSeq)}`,
    select: `SELECT reference, event_seq AS "eventSeq", nation, status, percent, comment, evidence_url AS "evidenceUrl", at, actor FROM progress_reports WHERE reference = $1`,
  },
} as const;
type Table = keyof typeof TABLES;

function derivedOf(rows: DerivedRows, table: Table): Row[] {
  switch (table) {
    case 'revisions':
      return rows.revisions as unknown as Row[];
    case 'positions':
      return rows.positions as unknown as Row[];
    case 'national_responses':
      return rows.responses as unknown as Row[];
    case 'progress_reports':
      return rows.progress as unknown as Row[];
  }
}

/** What the log says the row should hold: the state folded by `evolve` (reminder cursors as of now), its view and text. */
interface Derived {
  state: RecommendationState;
  view: StateView;
  textHash: string;
}

/**
 * Re-derives the read model from the append-only `events` table: the state and
 * view by the domain's `evolve` (the function the workflow runs) at now, the revisions, positions, responses and reports by the projection's own
 * `deriveRows`. Compares with what is stored; with `write`, replaces what differs, in one
 * transaction per recommendation under the projection's lock. The event log is never changed.
 */
@Injectable()
export class ProjectionRebuildRepository {
  constructor(private readonly dataSource: DataSource) {}

  async references(): Promise<string[]> {
    const rows = await this.dataSource.query<{ reference: string }[]>(
      'SELECT DISTINCT reference FROM events UNION SELECT reference FROM recommendations ORDER BY reference',
    );
    return rows.map((r) => r.reference);
  }

  async rebuild(options: { reference?: string; write?: boolean; now?: number } = {}): Promise<RebuildReport> {
    const references = options.reference ? [options.reference] : await this.references();
    const report: RebuildReport = { checked: [], differences: [], written: [] };
    for (const reference of references) {
      await this.dataSource.transaction(async (m) => {
        await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PROJECTION_LOCK, reference]);
        const events = await this.events(m, reference);
        const known =
          events.length > 0 ||
          (await m.query<unknown[]>('SELECT 1 FROM recommendations WHERE reference = $1', [reference])).length > 0;
        if (!known) return;
        const derived = this.derive(events, options.now ?? Date.now());
        const differences = await this.compare(m, reference, events, derived);
        report.checked.push(reference);
        report.differences.push(...differences);
        if (options.write && differences.length > 0) {
          await this.write(m, reference, events, derived);
          report.written.push(reference);
        }
      });
    }
    return report;
  }

  private derive(events: RecordedEvent[], now: number): Derived | null {
    const state = replayState(events, now);
    return state ? { state, view: toView(state, now), textHash: state.textHash } : null;
  }

  private async events(m: EntityManager, reference: string): Promise<RecordedEvent[]> {
    const rows = await m.query<(Omit<RecordedEvent, 'at' | 'commandId'> & { at: Date; commandId: string | null })[]>(
      'SELECT reference, seq, type, at, actor, revision, data, command_id AS "commandId" FROM events WHERE reference = $1 ORDER BY seq',
      [reference],
    );
    return rows.map(({ commandId, ...r }) => ({
      ...r,
      at: r.at.toISOString(),
      ...(commandId === null ? {} : { commandId }),
    }));
  }

  private async compare(
    m: EntityManager,
    reference: string,
    events: RecordedEvent[],
    derived: Derived | null,
  ): Promise<ProjectionDifference[]> {
    const view = derived?.view ?? null;
    const out: ProjectionDifference[] = [];
    const diff = (path: string, stored: unknown, derived: unknown): void => {
      if (!same(stored, derived)) out.push({ reference, path, stored: normalise(stored), derived: normalise(derived) });
    };

    const stored = await m.query<Row[]>(
      `SELECT title, text_hash, working_group, language, stage, revision, target_nations, pending_nations, next_deadline,
              created_at, closed_at, view FROM recommendations WHERE reference = $1`,
      [reference],
    );
    const row = stored[0];
    if (!view) {
      if (row) diff('recommendations', 'present', 'absent (no raised event)');
    } else if (!row) {
      diff('recommendations', 'absent', 'present');
    } else {
      const want = digest(view);
      const columns: [string, unknown][] = [
        ['title', row.title],
        ['textHash', row.text_hash],
        ['workingGroup', row.working_group],
        ['language', row.language],
        ['stage', row.stage],
        ['revision', row.revision],
        ['targetNations', row.target_nations],
        ['pendingNations', row.pending_nations],
        ['nextDeadline', row.next_deadline],
        ['createdAt', row.created_at],
        ['closedAt', row.closed_at],
      ];
      for (const [k, v] of columns) diff(`recommendations.${k}`, v, want[k]);
      const storedView = digest({ ...(row.view as StateView), textHash: row.text_hash as string });
      for (const k of Object.keys(want)) diff(`view.${k}`, storedView[k], want[k]);
    }

    const rows = deriveRows(events);
    for (const table of Object.keys(TABLES) as Table[]) {
      const { key, select } = TABLES[table];
      const have = new Map((await m.query<Row[]>(select, [reference])).map((r) => [key(r), r]));
      const want = new Map(derivedOf(rows, table).map((r) => [key(r), r]));
      for (const [k, r] of want) diff(`${table}[${k}]`, have.get(k) ?? null, r);
      for (const [k, r] of have) if (!want.has(k)) diff(`${table}[${k}]`, r, null);
    }
    return out;
  }

  private async write(
    m: EntityManager,
    reference: string,
    events: RecordedEvent[],
    derived: Derived | null,
  ): Promise<void> {
    // The derived tables are a cache of the log: replaced whole for this recommendation.
    for (const table of Object.keys(TABLES)) await m.query(`DELETE FROM ${table} WHERE reference = $1`, [reference]);
    if (!derived) {
      await m.query('DELETE FROM recommendations WHERE reference = $1', [reference]);
      return;
    }
    await insertDerivedRows(m, deriveRows(events));
    await upsertRecommendationRow(
      m,
      derived,
      events.reduce((v, e) => Math.max(v, e.seq), 0),
      false,
    );
  }
}
