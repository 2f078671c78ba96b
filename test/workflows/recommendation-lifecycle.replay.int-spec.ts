import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkerOptions } from '@app/testing/replay';

/**
 * Histories of whole lifecycles (exported with `temporal workflow show -w <ref> -o json`): recorded by
 * the v1 code before and after its `publish-before-flush` patch, one v1 run that moved to the current
 * code (`v1-moved-to-current`, behind `core-v2-upgrade`) and the run it continued into, and runs of
 * the current code (`current-*`). Each must replay against the current code without
 * non-determinism: a change that would break a running recommendation fails here, before deploy.
 */
const dir = join(__dirname, '..', '..', 'workflows', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('replay of committed lifecycle histories', () => {
  it('has histories of the v1 code, of a move from it, and of the current code to replay', () => {
    expect(files.filter((f) => !f.startsWith('current-') && !f.startsWith('v1-moved')).length).toBeGreaterThanOrEqual(3);
    expect(files).toEqual(expect.arrayContaining(['v1-moved-to-current.json', 'current-after-move-from-v1.json', 'current-straight-path-to-closed.json']));
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    // Passed as the CLI's JSON: the SDK converts it with its own protobuf copy.
    const history = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
    const result = await Worker.runReplayHistory(bundleWorkerOptions(), history, file);
    expect(result).toBeUndefined();
  });
});
