import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkerOptions } from '@app/testing/replay';

/**
 * Histories of whole lifecycles recorded by earlier versions of the workflow (exported with
 * `temporal workflow show -w <ref> -o json`), before and after the `publish-before-flush` patch, so
 * both of its paths are replayed. Each must replay against the current code without
 * non-determinism: a change that would break a running recommendation fails here, before deploy.
 */
const dir = join(__dirname, '..', '..', 'workflows', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('replay of committed lifecycle histories', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    // Passed as the CLI's JSON: the SDK converts it with its own protobuf copy.
    const history = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
    const result = await Worker.runReplayHistory(bundleWorkerOptions(), history, file);
    expect(result).toBeUndefined();
  });
});
