/**
 * 2. The read routes at 10,000 recommendations: the list with a filter and the single
 * recommendation, through the API, against a bare `pg` query returning the same rows.
 *
 * The rows are realistic because they are real: the recommendations the other parts ran through
 * the workflow (every stage from drafting to closed, with their revisions, positions, responses,
 * reports and events) are cloned in SQL under new references, spread over the working groups and
 * over time, until the table holds 10,000.
 */
import { Pool } from 'pg';
import type { NationCode, Stage, WorkingGroup } from '../../libs/domain/src';
import { GET_SQL, listStatements } from '../../libs/persistence/src/repositories/recommendations.repository';
import { call } from '../../libs/testing/src';
import { againstFloor, latency, log, tokens, type AgainstFloor, type BenchStack, type Latency } from './common';

export interface ReadRoute extends AgainstFloor {
  route: string;
  api: Latency;
  pg: Latency;
}

export interface ReadResult {
  recommendations: number;
  events: number;
  samples: number;
  routes: ReadRoute[];
  /** EXPLAIN (ANALYZE) of the list's page and count and of the get, as run here. */
  plans: Record<string, string>;
}

interface ReadFilter {
  stage: string;
  workingGroup: WorkingGroup;
  nation: NationCode;
}

/** The tables with a `reference` column that the read model keeps per recommendation (the outbox aside). */
const CLONED = ['recommendations', 'revisions', 'events', 'positions', 'national_responses', 'progress_reports'];

async function clone(db: Pool, target: number): Promise<void> {
  const templates = (
    await db.query<{ reference: string }>('SELECT reference FROM recommendations ORDER BY reference')
  ).rows.map((r) => r.reference);
  const missing = target - templates.length;
  if (missing <= 0 || templates.length === 0) return;
  const per = Math.ceil(missing / templates.length);
  const columns = new Map<string, { name: string; type: string }[]>();
  for (const table of CLONED) {
    const cols = await db.query<{
      column_name: string;
      data_type: string;
      column_default: string | null;
      is_generated: string;
    }>(
      `SELECT column_name, data_type, column_default, is_generated FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    columns.set(
      table,
      cols.rows
        .filter((c) => c.is_generated !== 'ALWAYS' && !(c.column_default ?? '').startsWith('nextval'))
        .map((c) => ({ name: c.column_name, type: c.data_type })),
    );
  }
  log(`reads: cloning ${templates.length} real recommendations ×${per} to reach ${target}`);
  let made = 0;
  for (const template of templates) {
    const count = Math.min(per, target - templates.length - made);
    if (count <= 0) break;
    // New reference: DIPB-<2000 + k / 10000>-<k mod 10000>, k unique per clone; years that real references never use.
    const newRef = `format('DIPB-%s-%s', 2000 + (($2::int + g) / 10000), lpad((($2::int + g) % 10000)::text, 4, '0'))`;
    const wg = `(ARRAY['IC','SCS','SI'])[1 + (($2::int + g) % 3)]`;
    await db.query('BEGIN');
    for (const table of CLONED) {
      const cols = columns.get(table)!;
      const select = cols.map(({ name, type }) => {
        if (table === 'recommendations' && name === 'working_group') return wg;
        if (table === 'recommendations' && name === 'view')
          return `jsonb_set(replace(view::text, $1, ${newRef})::jsonb, '{workingGroup}', to_jsonb(${wg}))`;
        if (table === 'recommendations' && (name === 'created_at' || name === 'updated_at'))
          return `${name} - make_interval(mins => ($2::int + g))`;
        if (name === 'reference' || name === 'workflow_id') return newRef;
        if (type === 'jsonb') return `replace(${name}::text, $1, ${newRef})::jsonb`;
        return name;
      });
      await db.query(
        `INSERT INTO ${table} (${cols.map((c) => c.name).join(', ')}) SELECT ${select.join(', ')} FROM ${table}, generate_series(1, $3::int) AS g WHERE reference = $1`,
        [template, made, count],
      );
    }
    await db.query('COMMIT');
    made += count;
  }
  await db.query('ANALYZE');
}

/** The list's page and count as the API runs them (in parallel), for the filter the benchmark reads. */
const listOf = (filter: ReadFilter) =>
  listStatements({ stage: filter.stage as Stage, workingGroup: filter.workingGroup, nation: filter.nation, limit: 20 });

/** The plans PostgreSQL chose for the list's two queries and the get (docs/benchmarks.md). */
export async function explainReads(db: Pool, filter: ReadFilter, reference: string): Promise<Record<string, string>> {
  const plan = async (sql: string, params: unknown[]) =>
    (
      await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) ${sql}`,
        params,
      )
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
  const { page, count } = listOf(filter);
  return {
    list: await plan(page.sql, page.params),
    count: await plan(count.sql, count.params),
    get: await plan(GET_SQL, [reference]),
  };
}

async function measure(samples: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  for (let i = 0; i < Math.min(50, samples); i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

export async function benchReads(stack: BenchStack, { rows = 10_000, samples = 500 } = {}): Promise<ReadResult> {
  const db = new Pool({ connectionString: stack.databaseUrl, max: 4 });
  try {
    await clone(db, rows);
    const count = (
      await db.query<{ n: number; e: number }>(
        'SELECT (SELECT count(*) FROM recommendations)::int AS n, (SELECT count(*) FROM events)::int AS e',
      )
    ).rows[0]!;
    const stage = (
      await db.query<{ stage: string }>(
        'SELECT stage FROM recommendations GROUP BY stage ORDER BY count(*) DESC LIMIT 1',
      )
    ).rows[0]!.stage;
    const refs = (
      await db.query<{ reference: string }>('SELECT reference FROM recommendations ORDER BY random() LIMIT $1', [
        samples,
      ])
    ).rows.map((r) => r.reference);
    const t = await tokens([]);
    const filter: ReadFilter = { stage, workingGroup: 'SCS', nation: 'FRA' };
    log(
      `reads: ${count.n} recommendations, ${count.e} events; list ?stage=${stage}&workingGroup=SCS&nation=FRA, get one; ${samples} sequential requests each`,
    );
    const qs = `/api/v1/recommendations?stage=${stage}&workingGroup=SCS&nation=FRA&limit=20`;
    const ok = (status: number) => {
      if (status !== 200) throw new Error(`read answered ${status}`);
    };
    const apiList = await measure(samples, async () =>
      ok((await call(stack.api, 'GET', qs, { token: t.secretariat })).status),
    );
    const { page, count: total } = listOf(filter);
    const pgList = await measure(samples, async () => {
      await Promise.all([db.query(page.sql, page.params), db.query(total.sql, total.params)]);
    });
    const apiGet = await measure(samples, async (i) =>
      ok(
        (await call(stack.api, 'GET', `/api/v1/recommendations/${refs[i % refs.length]}`, { token: t.secretariat }))
          .status,
      ),
    );
    const pgGet = await measure(samples, async (i) => {
      await db.query(GET_SQL, [refs[i % refs.length]]);
    });
    const route = (name: string, a: number[], p: number[]): ReadRoute => {
      const r = { route: name, api: latency(a), pg: latency(p) };
      return { ...r, ...againstFloor(r.api, r.pg) };
    };
    const plans = await explainReads(db, filter, refs[0]!);
    return {
      recommendations: count.n,
      events: count.e,
      samples,
      plans,
      routes: [route(`GET ${qs}`, apiList, pgList), route('GET /api/v1/recommendations/{ref}', apiGet, pgGet)],
    };
  } finally {
    await db.end();
  }
}
