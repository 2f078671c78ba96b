import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

/** The contract, as committed: `npm run openapi` writes both; tests fail when either differs from the app. */
export const OPENAPI_FILE = join(REPO_ROOT, 'docs', 'openapi.json');
export const CLIENT_TYPES_FILE = join(REPO_ROOT, 'test', 'contract', 'generated', 'dipb-api.d.ts');

/** The document as it is committed: two-space JSON and a final newline, so a diff shows what changed. */
export function openApiJson(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

const bin = (name: string): string => join(REPO_ROOT, 'node_modules', '.bin', name);

/**
 * What a client's build gets from the document: openapi-typescript's `paths`, `components` and
 * `operations` types, from its CLI as a client team would run it (and because it is an ES module
 * jest cannot load).
 */
export function generateClientTypes(openApiFile: string = OPENAPI_FILE): string {
  // A default is what the server fills in for a field left out: it must not make the field required.
  const run = spawnSync(bin('openapi-typescript'), [openApiFile, '--default-non-nullable=false'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (run.status !== 0) throw new Error(`openapi-typescript failed (exit ${run.status}):\n${run.stderr}`);
  return run.stdout;
}

export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: unknown;
}

/** Redocly CLI's `lint` with the repository's redocly.yaml; never telemetry or an update check. */
export function lintOpenApi(openApiFile: string = OPENAPI_FILE): { problems: LintProblem[]; output: string } {
  const run = spawnSync(bin('redocly'), ['lint', openApiFile, '--format', 'json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
  });
  const start = run.stdout.indexOf('{');
  if (start < 0) throw new Error(`redocly lint printed no report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  const report = JSON.parse(run.stdout.slice(start)) as { problems: LintProblem[] };
  return { problems: report.problems, output: `${run.stdout}\n${run.stderr}` };
}
