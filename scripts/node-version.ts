/**
 * The project runs on the Node.js major of package.json `engines` (24). Where the machine's `node` is
 * another one, `npm ci` brings it: the `node` package installs that Node.js into node_modules/.bin,
 * which npm puts first on PATH for `npm test`, `npm run up` and every other script. Run directly with
 * the machine's node, the scripts would test another runtime than the one that ships: they refuse.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Why `running` (process.versions.node) is not the Node.js that `engines` (e.g. `^24.11.0`) asks for; undefined when it is. */
export function nodeVersionProblem(running: string, engines: string): string | undefined {
  const wanted = /(\d+)/.exec(engines)?.[1];
  if (wanted === undefined) return `package.json engines.node (${engines}) names no major version`;
  if (running.split('.')[0] === wanted) return undefined;
  return (
    `this is Node.js ${running}; the project runs on Node.js ${wanted} (package.json engines: ${engines}). ` +
    `Run it through npm (npm test, npm run up): npm ci installs Node.js ${wanted} into node_modules/.bin (the "node" package) and npm runs scripts with it.`
  );
}

/** Stops the process, naming the fix, when it does not run on the project's Node.js. */
export function requireProjectNode(root: string): void {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  const problem = nodeVersionProblem(process.versions.node, pkg.engines?.node ?? '');
  if (problem === undefined) return;
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
