import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface RunningWorker {
  process: ChildProcess;
  /** Ends it abruptly (SIGKILL): no shutdown, no handover, as a crash would. */
  kill(): Promise<void>;
  /** Graceful stop (SIGTERM): in-flight activities finish or are handed back. */
  stop(): Promise<void>;
  output(): string;
}

const root = join(__dirname, '..', '..', '..');

/** The built worker (`npm run build`) as its own process, so a test can kill it like a crash would. */
export async function startWorker(env: NodeJS.ProcessEnv = {}): Promise<RunningWorker> {
  const main = join(root, 'dist', 'apps', 'worker', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first (npm test does)`);
  const child = spawn(process.execPath, [main], { cwd: root, env: { ...process.env, LOG_PRETTY: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within 60 s:\n${out}`)), 60_000);
    const onData = (): void => {
      if (out.includes('worker polling')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
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
