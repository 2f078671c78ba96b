import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKER_HEAP_MIB, WORKER_NODE_ARGS, WORKER_SEMI_SPACE_MIB } from './node-options';

// The launchers that cannot import the constant must still say the same thing.
const root = join(__dirname, '..', '..', '..');

describe('the worker’s Node options', () => {
  it('bound the old-generation heap and the young generation', () => {
    expect(WORKER_NODE_ARGS).toContain(`--max-old-space-size=${WORKER_HEAP_MIB}`);
    expect(WORKER_NODE_ARGS).toContain(`--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`);
  });

  it('are the ones `npm run start:worker` passes', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const start = pkg.scripts['start:worker']?.split(' ') ?? [];
    for (const arg of WORKER_NODE_ARGS) expect(start).toContain(arg);
    expect(start.at(-1)).toBe('dist/apps/worker/src/main.js');
  });

  it('are the ones the worker image runs with', () => {
    const dockerfile = readFileSync(join(root, 'docker', 'worker.Dockerfile'), 'utf8');
    const cmd =
      dockerfile
        .split('\n')
        .filter((l) => l.startsWith('CMD '))
        .at(-1) ?? '';
    const args = JSON.parse(cmd.slice('CMD '.length)) as string[];
    for (const arg of WORKER_NODE_ARGS) expect(args).toContain(arg);
    expect(args.at(-1)).toBe('dist/apps/worker/src/main.js');
  });
});
