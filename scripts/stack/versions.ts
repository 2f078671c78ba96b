/** Which Temporal CLI will do: reading the versions a binary reports (pure; unit-tested in stack.spec.ts). */

export const MIN_TEMPORAL_CLI = '1.5.1';
export const MIN_TEMPORAL_SERVER = '1.29.0';

export interface TemporalVersion {
  cli: string;
  server?: string;
  ui?: string;
}

/** Parses `temporal --version`, e.g. `temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)`. */
export function parseTemporalVersion(output: string): TemporalVersion | undefined {
  const m = /temporal version (\S+)(?:\s*\(([^)]*)\))?/i.exec(output);
  if (!m?.[1]) return undefined;
  const version: TemporalVersion = { cli: m[1].replace(/^v/, '') };
  const server = /Server\s+v?([\d.]+)/i.exec(m[2] ?? '');
  const ui = /UI\s+v?([\d.]+)/i.exec(m[2] ?? '');
  if (server?.[1]) version.server = server[1];
  if (ui?.[1]) version.ui = ui[1];
  return version;
}

/** The `mod` line of `go version -m <binary>` for the Temporal CLI module, e.g. `v1.5.1`. */
export function parseGoModuleVersion(output: string, module = 'github.com/temporalio/cli'): string | undefined {
  for (const line of output.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] === 'mod' && parts[1] === module && parts[2]) return parts[2].replace(/^v/, '');
  }
  return undefined;
}

/** Compares dotted numeric versions; pre-release suffixes are ignored. */
export function compareVersions(a: string, b: string): number {
  const nums = (v: string) =>
    v
      .replace(/^v/, '')
      .split(/[-+]/)[0]!
      .split('.')
      .map((n) => Number.parseInt(n, 10) || 0);
  const [x, y] = [nums(a), nums(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Whether a CLI is recent enough. A `go install` build reports `0.0.0-DEV`; then the module
 * version from the binary's build info decides, or failing that the bundled server version.
 */
export function isTemporalCliRecentEnough(version: TemporalVersion, goModuleVersion?: string): boolean {
  if (!version.cli.startsWith('0.0.0')) return compareVersions(version.cli, MIN_TEMPORAL_CLI) >= 0;
  if (goModuleVersion && !goModuleVersion.startsWith('0.0.0')) {
    return compareVersions(goModuleVersion, MIN_TEMPORAL_CLI) >= 0;
  }
  return version.server !== undefined && compareVersions(version.server, MIN_TEMPORAL_SERVER) >= 0;
}
