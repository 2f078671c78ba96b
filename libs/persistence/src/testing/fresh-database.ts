import type { DataSource } from 'typeorm';
import { Client } from 'pg';
import { openDataSource } from '../data-source-options';
import { runMigrationsAndSeed } from '../migrate';
import { RecommendationsRepository } from '../repositories/recommendations.repository';
import { ScriptProjector } from './lifecycle';

export interface FreshDatabase {
  url: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, on the server of DATABASE_URL (set by `npm test`), so a
 * file may migrate down, truncate or count rows without disturbing any other.
 */
export async function freshDatabase(label: string, options: { migrate?: boolean } = {}): Promise<FreshDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL must be set for integration tests');
  const server = new URL(base);
  const name = `${server.pathname.slice(1) || 'dipb'}_${label}_${process.pid}_${Date.now().toString(36)}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  if (options.migrate !== false) await runMigrationsAndSeed(url.toString());
  const dataSource = await openDataSource(url.toString(), 25);
  return {
    url: url.toString(),
    dataSource,
    async drop() {
      await dataSource.destroy();
      const c = new Client({ connectionString: admin.toString() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A fresh database for the test file calling this: made in beforeAll, dropped in afterAll. Read
 * `dataSource` and `url` in hooks and tests (they throw before beforeAll has run).
 */
export function useFreshDatabase(label: string, options: { migrate?: boolean } = {}): FreshDatabase {
  let db: FreshDatabase | undefined;
  beforeAll(async () => {
    db = await freshDatabase(label, options);
  });
  afterAll(async () => {
    await db?.drop();
  });
  const made = (): FreshDatabase => {
    if (!db) throw new Error(`the database '${label}' is made in beforeAll`);
    return db;
  };
  return {
    get url() {
      return made().url;
    },
    get dataSource() {
      return made().dataSource;
    },
    drop: () => made().drop(),
  };
}

export interface ProjectedDatabase extends FreshDatabase {
  /** Writes as the worker's projection does. */
  readonly projection: ScriptProjector;
  /** Reads as the API does. */
  readonly queries: RecommendationsRepository;
}

/** `useFreshDatabase`, with the worker's projection writing to it and the API's queries reading it. */
export function useProjectedDatabase(label: string): ProjectedDatabase {
  const db = useFreshDatabase(label);
  let made: { projection: ScriptProjector; queries: RecommendationsRepository } | undefined;
  const over = () =>
    (made ??= {
      projection: new ScriptProjector(db.dataSource),
      queries: new RecommendationsRepository(db.dataSource),
    });
  return {
    get url() {
      return db.url;
    },
    get dataSource() {
      return db.dataSource;
    },
    drop: () => db.drop(),
    get projection() {
      return over().projection;
    },
    get queries() {
      return over().queries;
    },
  };
}
