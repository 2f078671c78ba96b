import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RunningApi } from './api';
import { REPO_ROOT } from './paths';
import { eventually } from './wait';

/**
 * The built API (`dist/apps/api/src/main.js`) as its own process on `port`, as it ships (tsx would drop
 * the decorator metadata Nest needs). The bench measures it so; the PostgreSQL fault scenario needs it:
 * errors from Node's sockets cross a realm boundary inside jest's sandbox, where `instanceof Error` is
 * false, so the in-process API would not see them as what they are.
 */
export async function startApiProcess(port: number, env: NodeJS.ProcessEnv = {}): Promise<RunningApi> {
  // API_CPU_PROF_DIR=<dir>: a V8 CPU profile of the API, written when it stops (diagnostics).
  const profile = process.env.API_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.API_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, LOG_PRETTY: 'false', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}: ${err}`);
      return (await fetch(`${url}/health/live`)).ok;
    },
    60_000,
    250,
  );
  return {
    url,
    close: async () => {
      process.removeListener('exit', reap);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
