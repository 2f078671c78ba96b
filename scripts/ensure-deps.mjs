#!/usr/bin/env node
// Installs dependencies when node_modules is missing or package-lock.json changed since the
// last install. Runs before `npm run up` and `npm test`; must stay dependency-free and fast.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = join(root, 'package-lock.json');
const modules = join(root, 'node_modules');
const stamp = join(modules, '.dipb-lock-hash');

const lockHash = createHash('sha256').update(readFileSync(lockFile)).digest('hex');
const installedHash = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : null;

if (existsSync(modules) && installedHash === lockHash) process.exit(0);

const hiddenLock = join(modules, '.package-lock.json');
if (existsSync(hiddenLock) && statSync(hiddenLock).mtimeMs >= statSync(lockFile).mtimeMs) {
  // npm itself brought node_modules in line with the lock file (e.g. `npm install <pkg>`, or an
  // install made before this stamp existed): record that instead of reinstalling everything.
  writeFileSync(stamp, lockHash + '\n');
  process.exit(0);
}

console.log(
  existsSync(modules)
    ? 'package-lock.json changed since the last install: running npm ci'
    : 'node_modules is missing: running npm ci',
);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error(`npm ci failed (exit ${result.status ?? result.signal})`);
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, lockHash + '\n');
