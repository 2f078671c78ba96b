import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/** An update whose handler returns at once: the floor of any command's round trip on this server. */
export const noopUpdate = defineUpdate<number, [unknown]>('noop');

/** A workflow that only answers `noop` (the benchmark terminates it). */
export async function benchNoop(): Promise<void> {
  setHandler(noopUpdate, () => 0);
  await condition(() => false);
}
