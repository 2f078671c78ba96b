import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source-options';
import { runMigrationsAndSeed } from '../migrate';
import { MIGRATIONS } from './index';
import { NationsRepository } from '../repositories/nations.repository';
import { RecommendationsRepository } from '../repositories/recommendations.repository';
import { useFreshDatabase } from '../testing/fresh-database';
import { ScriptedRecommendation, ScriptProjector } from '../testing/lifecycle';

const db = useFreshDatabase('migrations', { migrate: false });

const tables = async (ds: DataSource): Promise<string[]> =>
  (
    await ds.query<
      {
        tablename: string;
      }[]
    >(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'migrations' ORDER BY tablename`,
    )
  ).map((r) => r.tablename);

const RECORD_TABLES = [
  'calendar_changes',
  'closure_days',
  'directory_changes',
  'events',
  'idempotency_keys',
  'national_responses',
  'nations',
  'notifications',
  'positions',
  'progress_reports',
  'recommendations',
  'reference_counters',
  'revisions',
  'texts',
  'webhook_deliveries',
  'webhook_subscription_changes',
  'webhook_subscriptions',
];

async function revertAll(ds: DataSource): Promise<void> {
  for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
}

describe('migrations', () => {
  it('go up and down cleanly on an empty database, twice', async () => {
    const ds = db.dataSource;
    expect(await tables(ds)).toEqual([]);
    await runMigrationsAndSeed(db.url);
    expect(await tables(ds)).toEqual(RECORD_TABLES);
    expect(await ds.showMigrations()).toBe(false);
    await revertAll(ds);
    expect(await tables(ds)).toEqual([]);
    const functions = await ds.query<unknown[]>(`SELECT proname FROM pg_proc WHERE proname LIKE 'dipb\\_%'`);
    expect(functions).toEqual([]);
    await runMigrationsAndSeed(db.url);
    expect(await tables(ds)).toEqual(RECORD_TABLES);
  });

  it('seeds the 32 Allies once and never overwrites a contact the secretariat changed', async () => {
    const nations = new NationsRepository(db.dataSource);
    expect(await nations.list()).toHaveLength(32);
    const fra = await nations.get('FRA');
    expect(fra).toMatchObject({
      name: { en: 'France', fr: 'France' },
      language: 'fr',
      director: { name: null, email: 'director.fra@mod.example', alternateEmail: null },
      seniorRepEmail: 'senior.fra@mod.example',
      wgMemberEmails: { IC: ['wg-ic.fra@mod.example'], SCS: ['wg-scs.fra@mod.example'], SI: ['wg-si.fra@mod.example'] },
    });
    await nations.updateDirector(
      'FRA',
      { name: 'Jeanne Dupont', email: 'jeanne.dupont@defense.example', language: 'en' },
      { id: 'sec-anna', role: 'secretariat' },
    );
    await db.dataSource.query(`DELETE FROM nations WHERE code = 'USA'`);
    await runMigrationsAndSeed(db.url);
    expect(await nations.list()).toHaveLength(32);
    expect((await nations.get('FRA'))?.director).toEqual({
      name: 'Jeanne Dupont',
      email: 'jeanne.dupont@defense.example',
      alternateEmail: null,
    });
    expect((await nations.get('FRA'))?.language).toBe('en');
    expect((await nations.get('USA'))?.director.email).toBe('director.usa@mod.example');
    expect(
      await nations.updateDirector(
        'XXX',
        { name: 'n', email: 'n@x.example', language: 'en' },
        { id: 'sec-anna', role: 'secretariat' },
      ),
    ).toBeNull();
  });

  it('run concurrently without tripping over each other', async () => {
    await Promise.all([runMigrationsAndSeed(db.url), runMigrationsAndSeed(db.url), runMigrationsAndSeed(db.url)]);
    expect(await tables(db.dataSource)).toEqual(RECORD_TABLES);
  });

  it('go down and up on a database with data; search is rebuilt for existing rows', async () => {
    const ds = db.dataSource;
    const projection = new ScriptProjector(ds);
    const rec = new ScriptedRecommendation(
      'DIPB-2026-0001',
      { title: 'Résilience des fournisseurs', language: 'fr' },
      '2026-01-01T00:00:00.000Z',
    );
    await projection.apply(rec.projection('2026-01-01T00:00:00.000Z'));
    const queries = new RecommendationsRepository(ds);
    expect((await queries.list({ q: 'resilience', limit: 10 })).total).toBe(1);

    // The change feed, down: the events' transaction ids and their index go (the events stay).
    const column = (table: string, name: string): Promise<unknown[]> =>
      ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND column_name = $2`, [
        table,
        name,
      ]);
    // Webhooks, down: their three tables and the change log's trigger function go; the append-only rule held before.
    const table = (name: string): Promise<unknown[]> =>
      ds.query(`SELECT 1 AS found FROM information_schema.tables WHERE table_name = $1`, [name]);
    await ds.query(
      `INSERT INTO webhook_subscription_changes (subscription, action, actor) VALUES (gen_random_uuid(), 'created', '{"id":"m","role":"secretariat"}')`,
    );
    await expect(ds.query(`DELETE FROM webhook_subscription_changes`)).rejects.toThrow(/append-only/);
    await ds.undoLastMigration({ transaction: 'each' });
    for (const name of ['webhook_subscriptions', 'webhook_subscription_changes', 'webhook_deliveries'])
      expect(await table(name)).toEqual([]);
    expect(await ds.query(`SELECT 1 FROM pg_proc WHERE proname = 'dipb_webhook_changes_append_only'`)).toEqual([]);

    const eventsBefore = await ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM events');
    expect(await column('events', 'tx')).toEqual([{ column_name: 'tx' }]);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await column('events', 'tx')).toEqual([]);
    expect(await ds.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'events_feed_idx'`)).toEqual([]);
    expect(await ds.query('SELECT count(*)::int AS n FROM events')).toEqual(eventsBefore);

    // Priority first, down: the column goes, the list's indexes are newest first again.
    const definition = `SELECT indexdef FROM pg_indexes WHERE indexname = 'recommendations_stage_wg_idx'`;
    expect(await ds.query(definition)).toEqual([
      { indexdef: expect.stringContaining('(stage, working_group, priority DESC, created_at DESC, reference DESC)') },
    ]);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.query(definition)).toEqual([
      { indexdef: expect.stringContaining('(stage, working_group, created_at DESC, reference DESC)') },
    ]);
    expect(await column('recommendations', 'priority')).toEqual([]);
    // The working calendar, down: its tables and the nations' zones go.
    expect(await ds.query(`SELECT time_zone FROM nations WHERE code = 'USA'`)).toEqual([
      { time_zone: 'America/New_York' },
    ]);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables(ds)).toEqual(
      RECORD_TABLES.filter((t) => !t.startsWith('webhook_') && t !== 'calendar_changes' && t !== 'closure_days'),
    );
    expect(await column('nations', 'time_zone')).toEqual([]);
    const withoutCalendar = RECORD_TABLES.filter(
      (t) => !t.startsWith('webhook_') && t !== 'calendar_changes' && t !== 'closure_days',
    );

    // The list's stage-and-group index, down.
    const index = `SELECT indexname FROM pg_indexes WHERE indexname = 'recommendations_stage_wg_idx'`;
    expect(await ds.query(index)).toEqual([{ indexname: 'recommendations_stage_wg_idx' }]);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.query(index)).toEqual([]);
    // The directory's contacts, down: WG delegates back to address lists, the planned completion to an instant.
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables(ds)).toEqual(withoutCalendar);
    expect(await ds.query(`SELECT wg_member_emails -> 'IC' AS ic FROM nations WHERE code = 'BEL'`)).toEqual([
      { ic: ['wg-ic.bel@mod.example'] },
    ]);
    // Prepared messages, down: the outbox loses its composed messages (none here).
    await ds.undoLastMigration({ transaction: 'each' });
    expect(
      await ds.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'notifications' AND column_name IN ('raw', 'prepared_at')`,
      ),
    ).toEqual([]);
    // Texts by hash, down: each row and revision gets its text back, then up again below.
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables(ds)).toEqual(withoutCalendar.filter((t) => t !== 'texts'));
    expect(await ds.query(`SELECT title, summary, body, view ->> 'body' AS "viewBody" FROM recommendations`)).toEqual([
      { title: 'Résilience des fournisseurs', summary: 'Summary', body: 'Body', viewBody: 'Body' },
    ]);
    expect(await ds.query(`SELECT number, summary, body FROM revisions`)).toEqual([
      { number: 1, summary: 'Summary', body: 'Body' },
    ]);

    // The directory change log (FRA's change from the seed test in it), then the search migration, with a row in place.
    expect(await ds.query(`SELECT nation FROM directory_changes`)).toEqual([{ nation: 'FRA' }]);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables(ds)).toEqual(withoutCalendar.filter((t) => t !== 'directory_changes' && t !== 'texts'));
    // (Read with SQL: the NationsRepository of today reads the columns of the latest migration.)
    expect(await ds.query(`SELECT director_email AS email FROM nations WHERE code = 'FRA'`)).toEqual([
      { email: 'jeanne.dupont@defense.example' },
    ]);
    await ds.undoLastMigration({ transaction: 'each' });
    const columns = await ds.query<unknown[]>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'recommendations' AND column_name = 'search'`,
    );
    expect(columns).toEqual([]);

    await runMigrationsAndSeed(db.url);
    expect((await queries.list({ q: 'résilience', limit: 10 })).items.map((i) => i.reference)).toEqual([
      'DIPB-2026-0001',
    ]);
    expect((await queries.get('DIPB-2026-0001'))?.body).toBe('Body');

    await revertAll(ds);
    expect(await tables(ds)).toEqual([]);
    await runMigrationsAndSeed(db.url);
    expect(await queries.get('DIPB-2026-0001')).toBeNull();
  });

  it('are applied by a CLI-style DataSource too (no pending migration after runMigrationsAndSeed)', async () => {
    const cli = new DataSource(dataSourceOptions(db.url, 1));
    await cli.initialize();
    try {
      expect(await cli.showMigrations()).toBe(false);
    } finally {
      await cli.destroy();
    }
  });
});
