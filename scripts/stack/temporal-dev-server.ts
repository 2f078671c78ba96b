/** The Temporal CLI's dev server (`temporal server start-dev`): one process, SQLite in `.data/temporal/`. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { waitFor } from '../../libs/testing/src/wait';
import { isPortOpen } from './network';
import { say } from './output';
import { dataDir } from './paths';
import { ManagedProcess, noop } from './processes';
import {
  prepareNamespace,
  SEARCH_ATTRIBUTES,
  SERVER_DYNAMIC_CONFIG,
  temporalDescribe,
  type TemporalHandle,
} from './temporal';

/**
 * The dev server's SQLite in WAL mode, synced at checkpoints: with the default rollback journal every
 * Temporal write is an fsync, which under load stalls updates past the API's deadline
 * (docs/benchmarks.md). WAL survives the server being killed; only a crash of the machine can lose the
 * last writes, which a dev server may.
 */
export const TEMPORAL_SQLITE_PRAGMAS: readonly string[] = ['journal_mode=wal', 'synchronous=normal'];

export interface TemporalOptions {
  cli: string;
  port: number;
  /** The Web UI port; omit for a headless server. */
  uiPort?: number;
  /** The SQLite file; under `.data/temporal/` when relative. */
  dbFile: string;
  namespace: string;
  /** Name for logs; default `temporal`. */
  name?: string;
  /** Dynamic config values (JSON values), e.g. a low continue-as-new threshold for tests. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

/** The `--search-attribute` flags of `temporal server start-dev`. */
export function searchAttributeFlags(attributes: Record<string, string> = SEARCH_ATTRIBUTES): string[] {
  return Object.entries(attributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

/** Starts (or reuses) a Temporal dev server and waits until its frontend answers. */
export async function startTemporal(opts: TemporalOptions): Promise<TemporalHandle> {
  const address = `127.0.0.1:${opts.port}`;
  const uiUrl = opts.uiPort !== undefined ? `http://localhost:${opts.uiPort}` : undefined;
  if (await isPortOpen(opts.port)) {
    say(`Temporal: something already answers on ${address}; reusing it`);
    await waitFor(`Temporal at ${address}`, () => temporalDescribe(opts.cli, address, 'default'), {
      timeoutMs: 30_000,
    });
    prepareNamespace(opts.cli, address, opts.namespace);
    return { started: false, address, namespace: opts.namespace, uiUrl, stop: noop, start: noop };
  }
  const dbFile = resolve(dataDir, 'temporal', opts.dbFile);
  mkdirSync(dirname(dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    ...(opts.uiPort !== undefined ? ['--ui-port', String(opts.uiPort)] : ['--headless']),
    '--db-filename',
    dbFile,
    ...TEMPORAL_SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p]),
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
    ...searchAttributeFlags(),
    ...Object.entries({ ...SERVER_DYNAMIC_CONFIG, ...opts.dynamicConfig }).flatMap(([key, value]) => [
      '--dynamic-config-value',
      `${key}=${JSON.stringify(value)}`,
    ]),
  ];
  const proc = new ManagedProcess(opts.name ?? 'temporal', opts.cli, args);
  const start = async () => {
    proc.start();
    await waitFor(`Temporal at ${address}`, () => temporalDescribe(opts.cli, address, opts.namespace), {
      timeoutMs: 90_000,
      intervalMs: 500,
      abort: () => proc.exitedReason(),
    });
    if (opts.uiPort !== undefined)
      await waitFor(`Temporal UI on ${opts.uiPort}`, () => isPortOpen(opts.uiPort!), { timeoutMs: 30_000 });
  };
  await start();
  return { started: true, address, namespace: opts.namespace, uiUrl, stop: () => proc.stop(), start, process: proc };
}
