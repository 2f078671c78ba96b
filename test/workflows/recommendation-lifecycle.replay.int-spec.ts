import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkerOptions } from '@app/testing/replay';

/**
 * Histories of whole lifecycles, and of a webhook subscription's loop (test/webhooks-disabled.e2e-spec.ts), recorded by the current code (`current-*.json`; see
 * recommendation-lifecycle.record.int-spec.ts): each must replay against the code as it is now
 * without non-determinism. The gate for every change to workflow code: a change that would break a
 * running recommendation fails here, before deploy.
 */
const dir = join(__dirname, '..', '..', 'workflows', 'histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replay of committed workflow histories', () => {
  it('has histories of the current code, and only those', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    expect(files.every((f) => f.startsWith('current-'))).toBe(true);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    // Passed as the CLI's JSON: the SDK converts it with its own protobuf copy.
    const history = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
    const result = await Worker.runReplayHistory(bundleWorkerOptions(), history, file);
    expect(result).toBeUndefined();
  });
});
