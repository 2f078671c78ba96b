/**
 * `npm run up`: the whole local stack in the foreground. Starts whatever of Temporal,
 * PostgreSQL and MailDev is not already running, migrates and seeds, builds, starts the
 * worker and the API, and prints the URLs. Ctrl-C stops what this started, and only that.
 *
 * `npm run up -- --infra` starts only Temporal, PostgreSQL and MailDev.
 * `TEMPORAL_MODE=cluster npm run up` (or `-- --cluster`) runs Temporal as a cluster of separate services
 * on PostgreSQL (scripts/stack/temporal-cluster.ts) instead of the CLI's development server.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WORKER_NODE_ARGS } from '../apps/worker/src/node-options';
import { DEV_JWT_SECRET } from './dev-defaults';
import {
  ManagedProcess,
  capture,
  ensurePostgres,
  ensureTemporalCli,
  installExitHandlers,
  onShutdown,
  repoRoot,
  say,
  setLogMode,
  shutdown,
  startMail,
  startTemporal,
  startTemporalCluster,
} from './stack';
import { waitFor } from '../libs/testing/src/wait';
import { requireProjectNode } from './node-version';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const clusterMode = env.TEMPORAL_MODE === 'cluster' || process.argv.includes('--cluster');
const namespace = env.TEMPORAL_NAMESPACE ?? (clusterMode ? 'dipb' : 'default');
const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb';
const smtpPort = Number(env.SMTP_PORT ?? 1025);
const mailWebPort = Number(env.MAILDEV_WEB_PORT ?? 1080);
const temporalPort = 7233;
const temporalUiPort = 8233;
const infraOnly = process.argv.includes('--infra');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** The built entry of an app, wherever the Nest builder put it. */
function entryOf(app: 'api' | 'worker'): string | undefined {
  return [
    join(repoRoot, 'dist', 'apps', app, 'main.js'),
    join(repoRoot, 'dist', 'apps', app, 'src', 'main.js'),
    join(repoRoot, 'dist', app, 'src', 'main.js'),
  ].find((f) => existsSync(f));
}

async function buildIfStale(): Promise<void> {
  const entries = [entryOf('api'), entryOf('worker')];
  const sources = Math.max(
    ...[
      'apps',
      'libs',
      'workflows',
      'nest-cli.json',
      '.swcrc',
      'tsconfig.json',
      'tsconfig.build.json',
      'package.json',
      'package-lock.json',
    ].map((p) => newestMtime(join(repoRoot, p))),
  );
  if (entries.every((e) => e !== undefined && statSync(e).mtimeMs > sources)) {
    say('build: dist is newer than the sources; skipping');
    return;
  }
  say('build: npm run build…');
  const build = new ManagedProcess('build', 'npm', ['run', '--silent', 'build']).start();
  await build.wait();
  if (build.exitCode !== 0) throw new Error(`npm run build failed (exit ${build.exitCode})`);
}

async function migrate(): Promise<void> {
  let mod: { runMigrationsAndSeed(url: string): Promise<unknown> };
  try {
    mod = await import('../libs/persistence/src/migrate');
  } catch (err) {
    if (
      (err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' &&
      (err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND'
    ) {
      throw err;
    }
    say('migrations: libs/persistence/src/migrate.ts is not there yet; skipped');
    return;
  }
  say('migrations: applying and seeding…');
  await mod.runMigrationsAndSeed(databaseUrl);
  say('migrations: done');
}

async function main(): Promise<void> {
  requireProjectNode(repoRoot);
  setLogMode('terminal');
  installExitHandlers();
  say(`Node.js ${process.version}: the worker and the API run on it`);
  const started = Date.now();

  const cli = await ensureTemporalCli();
  const mailStarted = startMail({ smtpPort, webPort: mailWebPort, mailDir: 'maildev' });
  const [temporal] = clusterMode
    ? [
        // Temporal's own databases live on PostgreSQL, so it comes first.
        await ensurePostgres(databaseUrl).then(() =>
          startTemporalCluster({
            databaseUrl: env.TEMPORAL_DATABASE_URL ?? databaseUrl,
            namespace,
            uiPort: temporalUiPort,
          }),
        ),
      ]
    : await Promise.all([
        startTemporal({ cli, port: temporalPort, uiPort: temporalUiPort, dbFile: 'dev.db', namespace }),
        ensurePostgres(databaseUrl),
      ]);
  const mail = await mailStarted;
  await migrate();

  const lines = [
    `Temporal UI  http://localhost:${temporalUiPort}  (gRPC ${temporal.address}, namespace ${namespace})`,
    `Mail UI      ${mail.webUrl}  (SMTP 127.0.0.1:${smtpPort}, REST ${mail.apiUrl}/api/email)`,
    `PostgreSQL   ${databaseUrl}`,
  ];

  if (!infraOnly) {
    await buildIfStale();
    const [apiEntry, workerEntry] = [entryOf('api'), entryOf('worker')];
    if (!apiEntry || !workerEntry) throw new Error('npm run build produced no dist/apps/{api,worker}/src/main.js');
    const appEnv: NodeJS.ProcessEnv = {
      ...env,
      NODE_ENV: env.NODE_ENV ?? 'development',
      PORT: String(port),
      LOG_PRETTY: env.LOG_PRETTY ?? 'true',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: namespace,
      SMTP_HOST: env.SMTP_HOST ?? '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      JWT_SECRET: env.JWT_SECRET ?? (env.JWT_JWKS_URL ? undefined : DEV_JWT_SECRET),
      // A developer's own receiver on this machine may take webhooks (never so in production: off by default).
      WEBHOOK_ALLOW_LOOPBACK: env.WEBHOOK_ALLOW_LOOPBACK ?? 'true',
    };
    const worker = new ManagedProcess(
      'worker',
      process.execPath,
      ['--enable-source-maps', ...WORKER_NODE_ARGS, workerEntry],
      {
        env: appEnv,
        stopTimeoutMs: 30_000,
        showStopping: true,
      },
    );
    const api = new ManagedProcess('api', process.execPath, ['--enable-source-maps', apiEntry], {
      env: appEnv,
      stopTimeoutMs: 15_000,
      showStopping: true,
    });
    for (const p of [worker, api]) {
      p.onUnexpectedExit = (code, signal) => {
        say(`${p.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the stack`);
        void shutdown().then(() => process.exit(1));
      };
    }
    // Stopped before the infrastructure (cleanups run last-registered first).
    onShutdown(() => Promise.all([api.stop(), worker.stop()]).then(() => undefined));
    worker.start();
    api.start();
    const ready = `http://127.0.0.1:${port}/health/ready`;
    await waitFor(
      `the API to be ready (${ready})`,
      async () => (await fetch(ready, { signal: AbortSignal.timeout(2000) })).status === 200,
      {
        timeoutMs: 120_000,
        intervalMs: 500,
        abort: () =>
          api.exitCode !== null ? 'the API exited' : worker.exitCode !== null ? 'the worker exited' : undefined,
      },
    );
    // The worker bundles the workflow code at start: ready when Temporal sees it polling.
    const taskQueue = env.TEMPORAL_TASK_QUEUE ?? 'dipb-recommendations';
    await waitFor(
      `the worker to poll ${taskQueue}`,
      () =>
        capture(cli, [
          'task-queue',
          'describe',
          '--task-queue',
          taskQueue,
          '-n',
          namespace,
          '--address',
          temporal.address,
          '-o',
          'json',
        ]).out.includes('"identity"'),
      {
        timeoutMs: 120_000,
        intervalMs: 1000,
        abort: () => (worker.exitCode !== null ? 'the worker exited' : undefined),
      },
    );
    lines.unshift(`API          http://localhost:${port}/api/v1`, `OpenAPI      http://localhost:${port}/docs`);
    lines.push(`A token:     npm run token -- --role secretariat`);
  }

  const bar = '─'.repeat(72);
  process.stdout.write(
    `\n${bar}\n  DIPB stack up in ${((Date.now() - started) / 1000).toFixed(1)}s\n\n${lines.map((l) => `  ${l}`).join('\n')}\n\n  Ctrl-C stops what this started.\n${bar}\n\n`,
  );
  // Stay in the foreground until a signal; the exit handlers do the rest.
  setInterval(() => undefined, 1 << 30);
}

main().catch(async (err: unknown) => {
  process.stderr.write(`\nnpm run up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  await shutdown();
  process.exit(1);
});
