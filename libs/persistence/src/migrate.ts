import { DataSource, type EntityManager } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { nationSeeds } from './nations.seed';

/** Any fixed number: the advisory lock that stops two processes migrating at once. */
const MIGRATION_LOCK = 4_242_001;

/**
 * Applies pending migrations, then inserts any Ally missing from the directory. Existing rows are
 * never overwritten: contacts the secretariat changed survive a redeploy. Safe to run concurrently
 * (an advisory lock serialises callers) and repeatedly.
 */
export async function runMigrationsAndSeed(databaseUrl: string): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, 2));
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.transaction((m) => seedNations(m));
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}

/** Inserts the Allies that are not in the directory yet; returns how many were inserted. */
export async function seedNations(manager: EntityManager): Promise<number> {
  const seeds = nationSeeds();
  const rows = await manager.query<unknown[]>(
    `INSERT INTO nations (code, name_en, name_fr, language, director_email, senior_rep_email, wg_delegates, time_zone)
     SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS s(code text, "nameEn" text, "nameFr" text, language text, "directorEmail" text, "seniorRepEmail" text, "wgDelegates" jsonb, "timeZone" text)
     ON CONFLICT (code) DO NOTHING
     RETURNING code`,
    [JSON.stringify(seeds)],
  );
  return rows.length;
}
