import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const dataDir = join(repoRoot, '.data');
export const logsDir = join(dataDir, 'logs');
export const toolsBin = join(repoRoot, '.tools', 'bin');
