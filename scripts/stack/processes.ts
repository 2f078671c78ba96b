/**
 * The processes we spawn. Each runs in its own process group (spawned `detached`), so stopping it
 * stops its children too, and we only ever stop what we started.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { getLogMode, logSink, pipeLines } from './output';
import { repoRoot } from './paths';

const owned = new Set<ManagedProcess>();

/** Every process we started that has not exited yet. */
export function ownedProcesses(): ManagedProcess[] {
  return [...owned];
}

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
      if (!this.stopping || getLogMode() === 'files' || this.options.showStopping) this.sink?.write(l);
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

  /** Why waiting for it is pointless (it has exited), or undefined while it runs. */
  exitedReason(): string | undefined {
    if (this.exitCode === null) return undefined;
    return `${this.name} exited with code ${this.exitCode}${this.logFile ? ` (see ${this.logFile})` : ''}`;
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

/** Runs a command to completion (output captured); never throws. */
export function capture(command: string, args: string[], env?: NodeJS.ProcessEnv): { ok: boolean; out: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', env: env ?? process.env, timeout: 30_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** A server the stack needs: started by us, or found already answering and reused. */
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

/** For handles of services we reuse: we never stop or restart what we did not start. */
export const noop = (): Promise<void> => Promise.resolve();
