/** Stopping what we started: on exit signals, on an uncaught error, and on any exit. */
import { say } from './output';
import { ownedProcesses } from './processes';

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
    await Promise.all(ownedProcesses().map((p) => p.stop()));
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
      for (const p of ownedProcesses()) p.killNow();
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
    for (const p of ownedProcesses()) p.killNow();
  });
}
