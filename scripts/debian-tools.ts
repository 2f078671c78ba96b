import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * A program from a Debian package (Chromium for printing, poppler-utils for reading PDFs back):
 * found where Debian puts it, or installed with apt-get when this runs as root (a fresh machine, CI).
 */
export function ensureDebianTool(binary: string, pkg: string): string {
  const path = `/usr/bin/${binary}`;
  if (existsSync(path)) return path;
  if (process.getuid?.() !== 0) {
    throw new Error(`${path} is missing: install Debian's ${pkg} (sudo apt-get install -y ${pkg})`);
  }
  process.stderr.write(`${path} is missing: installing Debian's ${pkg} (apt-get, a minute or two)…\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', pkg]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
  if (!existsSync(path)) throw new Error(`${pkg} installed but ${path} is still missing`);
  return path;
}

/** Chromium for headless printing: $CHROMIUM when set, else Debian's. */
export function ensureChromium(): string {
  return process.env.CHROMIUM ?? ensureDebianTool('chromium', 'chromium');
}
