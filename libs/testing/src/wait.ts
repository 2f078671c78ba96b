/**
 * Waiting, for tests and the scripts that run the stack. Production code never imports this: it
 * waits with `setTimeout` from `node:timers/promises`.
 */

/** Resolves after `ms` milliseconds: how long a fault lasts, or a pause between tries. Never proof that nothing happened. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface PollOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** A reason to give up at once (e.g. the process we wait for has exited), or undefined to go on. */
  abort?: () => string | undefined;
}

/** Polls until `check` returns a value (not undefined/false) or the time runs out; the last error explains why. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  everyMs = 200,
): Promise<T> {
  return poll('condition not met', check, { timeoutMs, intervalMs: everyMs });
}

/** Polls `probe` until it returns true; fails naming `what` after the timeout or when `abort` gives a reason. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean> | boolean,
  { timeoutMs = 60_000, intervalMs = 250, abort }: PollOptions = {},
): Promise<void> {
  await poll(`waiting for ${what}`, probe, { timeoutMs, intervalMs, abort });
}

async function poll<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 30_000, intervalMs = 200, abort }: PollOptions,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    const reason = abort?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (Date.now() > until) {
      throw new Error(`${what}: timed out after ${timeoutMs} ms${last instanceof Error ? ` (${last.message})` : ''}`);
    }
    await sleep(intervalMs);
  }
}
