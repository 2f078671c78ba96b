/** The Temporal CLI: one on PATH or in `.tools/bin`, else built with `go install`. */
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { say } from './output';
import { toolsBin } from './paths';
import { capture, ManagedProcess } from './processes';
import { isTemporalCliRecentEnough, MIN_TEMPORAL_CLI, parseGoModuleVersion, parseTemporalVersion } from './versions';

function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function findGo(): string | undefined {
  return findOnPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/** Describes a candidate CLI, or why it does not do. */
export function inspectTemporalCli(binary: string): { ok: boolean; description: string } {
  const r = capture(binary, ['--version']);
  const version = parseTemporalVersion(r.out);
  if (!r.ok || !version) return { ok: false, description: `${binary}: could not read its version` };
  let modVersion: string | undefined;
  const go = findGo();
  if (version.cli.startsWith('0.0.0') && go)
    modVersion = parseGoModuleVersion(capture(go, ['version', '-m', binary]).out);
  const shown = modVersion ? `${version.cli} (module v${modVersion})` : version.cli;
  const ok = isTemporalCliRecentEnough(version, modVersion);
  return {
    ok,
    description: `${binary}: temporal ${shown}, server ${version.server ?? '?'}${ok ? '' : ` — older than v${MIN_TEMPORAL_CLI}`}`,
  };
}

/**
 * Returns the path of a Temporal CLI that is v1.5.1 or newer: `temporal` on PATH, else
 * `.tools/bin/temporal`, else one built now with `go install` into `.tools/bin`.
 */
export async function ensureTemporalCli(): Promise<string> {
  const candidates = [findOnPath('temporal'), join(toolsBin, 'temporal')].filter(
    (c): c is string => c !== undefined && existsSync(c),
  );
  for (const candidate of candidates) {
    const { ok, description } = inspectTemporalCli(candidate);
    if (ok) return candidate;
    say(`ignoring ${description}`);
  }
  const go = findGo();
  if (!go) {
    throw new Error(
      `No Temporal CLI v${MIN_TEMPORAL_CLI}+ found (on PATH or in .tools/bin) and Go is not installed to build one.\n` +
        `Either install Go (https://go.dev/dl/) and run this again, or download the Temporal CLI from\n` +
        `https://github.com/temporalio/cli/releases (or https://temporal.download/cli) and put \`temporal\` on your PATH.`,
    );
  }
  say(`building the Temporal CLI v${MIN_TEMPORAL_CLI} with go install into .tools/bin (a few minutes, once)…`);
  mkdirSync(toolsBin, { recursive: true });
  const build = new ManagedProcess(
    'go',
    go,
    ['install', '-v', `github.com/temporalio/cli/cmd/temporal@v${MIN_TEMPORAL_CLI}`],
    {
      env: { ...process.env, GOBIN: toolsBin, PATH: `${dirname(go)}${delimiter}${process.env.PATH ?? ''}` },
    },
  ).start();
  await build.wait();
  if (build.exitCode !== 0) throw new Error(`go install of the Temporal CLI failed (exit ${build.exitCode})`);
  const built = join(toolsBin, 'temporal');
  const { ok, description } = inspectTemporalCli(built);
  if (!ok) throw new Error(`the freshly built CLI does not do: ${description}`);
  return built;
}
