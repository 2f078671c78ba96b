/**
 * `npm test`: lint, type-check, unit tests, build, then the integration tests against a
 * real Temporal dev server, PostgreSQL and MailDev on ports that do not collide with a
 * running `npm run up`. Every phase is reported; a failing phase does not stop the phases
 * that do not depend on it. The last line printed is exactly `N passed, N failed`.
 *
 * `--only unit` runs lint, type-check and unit tests; `--only int` runs build and int tests;
 * `--only faults` the fault suite; `--only cluster` the cluster specs on a Temporal cluster.
 * Any other arguments are jest test-path patterns (`npm run test:int -- lifecycle`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import {
  dataDir,
  ensurePostgres,
  ensureTemporalCli,
  installExitHandlers,
  isPortOpen,
  logsDir,
  onShutdown,
  repoRoot,
  setLogMode,
  shutdown,
  startMail,
  startTemporal,
  startTemporalCluster,
  clusterLayout,
} from './stack';
import { sleep } from '../libs/testing/src/wait';
import { requireProjectNode } from './node-version';

// Overridable so two checkouts can run their tests side by side.
const TEST_TEMPORAL_PORT = Number(process.env.TEST_TEMPORAL_PORT ?? 7243);
const TEST_SMTP_PORT = Number(process.env.TEST_SMTP_PORT ?? 1125);
const TEST_MAIL_WEB_PORT = Number(process.env.TEST_MAIL_WEB_PORT ?? 1180);
const TEST_DATABASE = process.env.TEST_DATABASE ?? 'dipb_test';
const TEST_JWT_SECRET = 'dipb-test-secret-at-least-32-characters-long';
const resultsDir = join(dataDir, 'test-results');
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

type Only = 'unit' | 'int' | 'faults' | 'cluster' | undefined;
/** Test-path patterns given after the flags, handed to every jest phase. */
function parsePatterns(argv: string[]): string[] {
  return argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--only');
}
const patterns = parsePatterns(process.argv.slice(2));
function parseOnly(argv: string[]): Only {
  const i = argv.indexOf('--only');
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  if (value === undefined) return undefined;
  if (value === 'unit' || value === 'int' || value === 'faults' || value === 'cluster') return value;
  throw new Error(`--only takes unit, int, faults or cluster, not ${value}`);
}

interface Tally {
  passed: number;
  failed: number;
}
const tally: Tally = { passed: 0, failed: 0 };
const report: string[] = [];

function heading(title: string): void {
  process.stdout.write(`\n━━ ${title} ${'━'.repeat(Math.max(3, 68 - title.length))}\n`);
}

const running = new Set<ChildProcess>();
// A phase's command must not outlive us (Ctrl-C, SIGTERM from a CI timeout, an uncaught error).
onShutdown(async () => {
  for (const child of running) signalGroup(child, 'SIGTERM');
  if (running.size > 0) await sleep(3000);
  for (const child of running) signalGroup(child, 'SIGKILL');
});

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-child.pid!, signal);
    return true;
  } catch {
    return false; // the group is empty
  }
}

/**
 * Runs a command with the terminal as its output; resolves its exit code. It runs in its own
 * process group, so whatever it leaves behind (a worker a test spawned and never stopped) is
 * found and stopped when it exits, and reported.
 */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit', detached: true });
    running.add(child);
    child.on('error', (err) => {
      running.delete(child);
      process.stderr.write(`${command}: ${err.message}\n`);
      done(127);
    });
    child.on('exit', (code, signal) => {
      void (async () => {
        await sleep(1000); // processes on their way out (jest's own workers) are not leftovers
        const left = spawnSync('ps', ['-o', 'pid=,args=', '-g', String(child.pid)], { encoding: 'utf8' })
          .stdout.split('\n')
          .filter((line) => line.trim() && !line.includes('<defunct>')) // zombies: already gone
          .join('\n');
        if (left && signalGroup(child, 'SIGTERM')) {
          process.stderr.write(`warning: ${command} left processes behind; stopping them:\n${left}\n`);
          await sleep(3000);
          signalGroup(child, 'SIGKILL');
        }
        running.delete(child);
        done(code ?? (signal ? 128 : 1));
      })();
    });
  });
}

/** A phase that counts as one test: passed when the command exits 0. */
async function checkPhase(title: string, command: string, args: string[]): Promise<boolean> {
  heading(title);
  const started = Date.now();
  const ok = (await run(command, args)) === 0;
  if (ok) tally.passed++;
  else tally.failed++;
  report.push(`${ok ? 'ok  ' : 'FAIL'} ${title} (${seconds(started)})`);
  return ok;
}

/** A jest phase: counts its tests from the JSON report (a crash without one counts as one failure). */
async function jestPhase(
  title: string,
  project: 'unit' | 'int' | 'faults',
  env: NodeJS.ProcessEnv = process.env,
  only: string[] = patterns,
  results: string = project,
): Promise<boolean> {
  heading(title);
  const started = Date.now();
  mkdirSync(resultsDir, { recursive: true });
  const outputFile = join(resultsDir, `${results}.json`);
  rmSync(outputFile, { force: true });
  const args = ['--selectProjects', project, '--json', '--outputFile', outputFile, '--passWithNoTests'];
  // Serial against the shared stack; and a leaked handle in a test must not hang CI (jest still warns).
  if (project !== 'unit') args.push('--runInBand', '--forceExit');
  args.push(...only);
  const code = await run(bin('jest'), args, env);
  let passed = 0;
  let failed = 0;
  let note = '';
  if (existsSync(outputFile)) {
    const result = JSON.parse(readFileSync(outputFile, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numRuntimeErrorTestSuites?: number;
    };
    passed = result.numPassedTests;
    failed = result.numFailedTests;
    // A suite that fails to load has no failed tests but is a failure all the same.
    const broken = result.numRuntimeErrorTestSuites ?? 0;
    if (broken > 0) {
      failed += broken;
      note = `, ${broken} suite(s) failed to run`;
    }
  }
  if (code !== 0 && failed === 0) {
    failed = 1;
    note += `, jest exited with ${code}`;
  }
  tally.passed += passed;
  tally.failed += failed;
  const ok = code === 0 && failed === 0;
  report.push(`${ok ? 'ok  ' : 'FAIL'} ${title}: ${passed} passed, ${failed} failed${note} (${seconds(started)})`);
  return ok;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

async function integration(): Promise<void> {
  const built = await checkPhase('build (npm run build)', 'npm', ['run', '--silent', 'build']);
  if (!built) {
    report.push('skip int tests: they run the built worker');
    return;
  }

  heading(
    `test stack (Temporal :${TEST_TEMPORAL_PORT} headless, PostgreSQL ${TEST_DATABASE}, MailDev :${TEST_SMTP_PORT}/:${TEST_MAIL_WEB_PORT})`,
  );
  const started = Date.now();
  const baseUrl = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb');
  baseUrl.pathname = `/${TEST_DATABASE}`;
  const databaseUrl = baseUrl.toString();
  try {
    const cli = await ensureTemporalCli();
    const dbFile = TEST_TEMPORAL_PORT === 7243 ? 'test.db' : `test-${TEST_TEMPORAL_PORT}.db`;
    const testDb = join(dataDir, 'temporal', dbFile);
    // A clean slate, unless a test server already runs on the port: then it is reused as it is.
    if (!(await isPortOpen(TEST_TEMPORAL_PORT))) {
      for (const f of [testDb, `${testDb}-shm`, `${testDb}-wal`]) rmSync(f, { force: true });
    }
    await Promise.all([
      startTemporal({
        cli,
        port: TEST_TEMPORAL_PORT,
        dbFile,
        namespace: 'default',
        name: 'temporal-test',
        // Temporal suggests continue-as-new at 1,000 events instead of ~4,000, so a test reaches it in seconds.
        dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 1000 },
      }),
      ensurePostgres(databaseUrl, { fresh: true }),
      startMail({
        smtpPort: TEST_SMTP_PORT,
        webPort: TEST_MAIL_WEB_PORT,
        mailDir: TEST_SMTP_PORT === 1125 ? 'maildev-test' : `maildev-test-${TEST_SMTP_PORT}`,
        fresh: true,
        name: 'maildev-test',
      }),
    ]);
  } catch (err) {
    tally.failed++;
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n(logs in ${logsDir})\n`);
    report.push(`FAIL test stack: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    return;
  }
  console.log(`test stack up in ${seconds(started)}; logs in ${logsDir}`);

  await jestPhase(
    'integration tests (jest int)',
    'int',
    stackEnv(databaseUrl, TEST_TEMPORAL_PORT, TEST_SMTP_PORT, TEST_MAIL_WEB_PORT),
  );
}

/** The environment of a jest phase run against a test stack: its database, Temporal server and MailDev. */
function stackEnv(databaseUrl: string, temporalPort: number, smtpPort: number, mailWebPort: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_NAMESPACE: 'default',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    MAILDEV_API_URL: `http://127.0.0.1:${mailWebPort}`,
    JWT_SECRET: TEST_JWT_SECRET,
    // Webhooks to the tests' receivers on loopback, retried within seconds, a rotation's overlap short.
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    WEBHOOK_RETRY_INITIAL_MS: '200',
    WEBHOOK_RETRY_MAX_MS: '2000',
    WEBHOOK_TIMEOUT_MS: '3000',
    WEBHOOK_SECRET_OVERLAP: 'PT5S',
    WEBHOOK_POLL_MS: '500',
  };
}

/**
 * A machine-wide mutex: holding a listening socket on `port`. Two checkouts (a CI clone and a
 * working tree) would otherwise run the fault suite on the same ports and database at once; the
 * socket goes away with the process, however it ends.
 */
async function holdPort(port: number, what: string, timeoutMs = 20 * 60_000): Promise<Server> {
  const until = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    const server = createServer();
    const taken = await new Promise<boolean>((done) => {
      server.once('error', () => done(true));
      server.listen(port, '127.0.0.1', () => done(false));
    });
    if (!taken) return server;
    if (Date.now() > until) throw new Error(`${what} still holds 127.0.0.1:${port} after ${timeoutMs / 60_000} min`);
    if (!told) console.log(`waiting for ${what} to finish (it holds 127.0.0.1:${port})…`);
    told = true;
    await sleep(2000);
  }
}

/** The reliability suite (test/faults) on a stack of its own: Temporal :7283, PostgreSQL dipb_faults, MailDev :1625/:1680. */
async function faults(): Promise<void> {
  const lock = await holdPort(Number(process.env.FAULTS_LOCK_PORT ?? 15659), 'another run of the fault suite');
  try {
    await faultsOnce();
  } finally {
    lock.close();
  }
}

async function faultsOnce(): Promise<void> {
  const port = Number(process.env.FAULTS_TEMPORAL_PORT ?? 7283);
  const [smtpPort, webPort] = [
    Number(process.env.FAULTS_SMTP_PORT ?? 1625),
    Number(process.env.FAULTS_MAIL_WEB_PORT ?? 1680),
  ];
  // Its own database too, so two checkouts can run the suite side by side (FAULTS_DATABASE).
  const database = process.env.FAULTS_DATABASE ?? 'dipb_faults';
  heading(`fault-suite stack (Temporal :${port}, PostgreSQL ${database}, MailDev :${smtpPort}/:${webPort})`);
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb');
  url.pathname = `/${database}`;
  // Stopped before the lock is released, so the next run finds the ports free.
  let stack: Array<{ stop(): Promise<void> }> = [];
  try {
    const cli = await ensureTemporalCli();
    const dbFile = `faults-${port}.db`;
    if (!(await isPortOpen(port)))
      for (const f of ['', '-shm', '-wal']) rmSync(join(dataDir, 'temporal', dbFile + f), { force: true });
    stack = await Promise.all([
      startTemporal({ cli, port, dbFile, namespace: 'default', name: 'temporal-faults' }),
      ensurePostgres(url.toString(), { fresh: true }),
      startMail({ smtpPort, webPort, mailDir: `maildev-faults-${smtpPort}`, fresh: true, name: 'maildev-faults' }),
    ]);
  } catch (err) {
    tally.failed++;
    report.push(`FAIL fault-suite stack: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    await Promise.all(stack.map((h) => h.stop()));
    return;
  }
  try {
    await jestPhase(
      'reliability suite under faults (jest faults)',
      'faults',
      stackEnv(url.toString(), port, smtpPort, webPort),
    );
  } finally {
    await Promise.all(stack.map((h) => h.stop()));
  }
}

/** The integration specs that run again on the cluster: what a production engine must do the same. */
const CLUSTER_SPECS = [
  'test/lifecycle.e2e-spec.ts',
  'test/notifications.e2e-spec.ts',
  'test/links.e2e-spec.ts',
  'test/digest.e2e-spec.ts',
  'test/contract/generated-client.e2e-spec.ts',
  'test/operations/saved-queries.e2e-spec.ts',
];

/**
 * The same service on a production-shape Temporal cluster (scripts/stack/temporal-cluster.ts): frontend,
 * matching, worker and two history hosts as separate processes on PostgreSQL persistence and SQL
 * visibility, ports moved by 100 from `npm run up`'s cluster, Temporal's databases `*_ctest` made afresh.
 */
async function cluster(): Promise<void> {
  const offset = Number(process.env.TEST_CLUSTER_PORT_OFFSET ?? 100);
  const layout = clusterLayout(offset, 'temporal-ctest', '_ctest');
  const [smtpPort, webPort] = [
    Number(process.env.TEST_CLUSTER_SMTP_PORT ?? 1725),
    Number(process.env.TEST_CLUSTER_MAIL_WEB_PORT ?? 1780),
  ];
  const database = process.env.TEST_CLUSTER_DATABASE ?? 'dipb_cluster_test';
  const frontend = layout.processes[0]?.grpcPort ?? 0;
  heading(
    `cluster stack (Temporal cluster :${frontend}, 2 history hosts, PostgreSQL ${database} + ${layout.databases.temporal}, MailDev :${smtpPort}/:${webPort})`,
  );
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb');
  url.pathname = `/${database}`;
  let stack: Array<{ stop(): Promise<void> }> = [];
  const started = Date.now();
  try {
    await ensurePostgres(url.toString(), { fresh: true });
    stack = await Promise.all([
      startTemporalCluster({ databaseUrl: url.toString(), namespace: 'default', layout, fresh: true }),
      startMail({ smtpPort, webPort, mailDir: `maildev-cluster-${smtpPort}`, fresh: true, name: 'maildev-cluster' }),
    ]);
  } catch (err) {
    tally.failed++;
    report.push(`FAIL cluster stack: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    await Promise.all(stack.map((h) => h.stop()));
    return;
  }
  console.log(`cluster stack up in ${seconds(started)}; logs in ${logsDir}`);
  try {
    await jestPhase(
      'integration tests on the Temporal cluster (jest int)',
      'int',
      stackEnv(url.toString(), frontend, smtpPort, webPort),
      patterns.length > 0 ? patterns : CLUSTER_SPECS,
      'cluster',
    );
  } finally {
    await Promise.all(stack.map((h) => h.stop()));
  }
}

async function main(): Promise<void> {
  requireProjectNode(repoRoot);
  const only = parseOnly(process.argv.slice(2));
  // The test stack logs to .data/logs/*.log so the terminal shows only test output.
  setLogMode('files');
  installExitHandlers({ signalExitCode: 130 });
  rmSync(logsDir, { recursive: true, force: true });
  console.log(`Node.js ${process.version} (${process.execPath})`);

  if (only === undefined || only === 'unit') {
    await checkPhase('lint (eslint, type-aware, zero warnings; prettier --check)', 'npm', ['run', '--silent', 'lint']);
    await checkPhase('type-check (tsc --noEmit)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    await jestPhase('unit tests (jest unit)', 'unit');
  }
  if (only !== 'unit') {
    try {
      if (only === 'faults' || only === 'cluster') {
        if (await checkPhase('build (npm run build)', 'npm', ['run', '--silent', 'build']))
          await (only === 'faults' ? faults() : cluster());
      } else {
        await integration();
        if (only === undefined) {
          await faults();
          await cluster();
        }
      }
    } finally {
      await shutdown();
    }
  }

  heading('summary');
  for (const line of report) console.log(line);
  // The last line, exactly: CI and people read it.
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exitCode = tally.failed > 0 ? 1 : 0;
}

main().catch(async (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await shutdown();
  tally.failed++;
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exit(1);
});
