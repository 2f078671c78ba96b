import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WORKER_NODE_ARGS } from '../../../apps/worker/src/node-options';
import { REPO_ROOT, TEST_WORKFLOW_BUNDLE } from './paths';

export interface RunningWorker {
  process: ChildProcess;
  /** Ends it abruptly (SIGKILL): no shutdown, no handover, as a crash would. */
  kill(): Promise<void>;
  /** Graceful stop (SIGTERM): in-flight activities finish or are handed back. */
  stop(): Promise<void>;
  output(): string;
}

const root = REPO_ROOT;

/** The built worker (`npm run build`) as its own process, so a test can kill it like a crash would. */
export async function startWorker(env: NodeJS.ProcessEnv = {}): Promise<RunningWorker> {
  const main = join(root, 'dist', 'apps', 'worker', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first (npm test does)`);
  // WORKER_CPU_PROF_DIR=<dir>: a V8 CPU profile of each worker, written when it stops (bench diagnostics).
  const profile = process.env.WORKER_CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.WORKER_CPU_PROF_DIR}`]
    : [];
  // WORKER_NODE_FLAGS="--trace-gc …": more Node/V8 flags for each worker (diagnostics).
  const flags = process.env.WORKER_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...WORKER_NODE_ARGS, ...flags, ...profile, main], {
    cwd: root,
    env: {
      ...process.env,
      LOG_PRETTY: 'false',
      ...(existsSync(TEST_WORKFLOW_BUNDLE) ? { WORKFLOW_BUNDLE_PATH: TEST_WORKFLOW_BUNDLE } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // WORKER_LOG_DIR=<dir>: each worker's output also goes to <dir>/worker-<pid>.log (diagnostics).
  const logFile = process.env.WORKER_LOG_DIR ? join(process.env.WORKER_LOG_DIR, `worker-${child.pid}.log`) : null;
  if (logFile) mkdirSync(dirname(logFile), { recursive: true });
  const collect = (d: Buffer): void => {
    out += d.toString();
    if (logFile) appendFileSync(logFile, d);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test run that ends abruptly must not leave a worker polling with old code.
  const reap = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', reap);
  void exited.then(() => process.removeListener('exit', reap));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within 60 s:\n${out}`)), 60_000);
    const onData = (): void => {
      if (out.includes('worker polling') || out.includes("state: 'RUNNING'")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}:\n${out}`));
    });
  });
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { process: child, kill: () => end('SIGKILL'), stop: () => end('SIGTERM'), output: () => out };
}
