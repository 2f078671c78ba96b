/**
 * A production-shape Temporal cluster on this machine (`TEMPORAL_MODE=cluster npm run up`): the server's
 * services as separate processes (frontend, matching, the internal worker, two history hosts) on
 * PostgreSQL persistence and SQL visibility, and the Web UI server pointed at the frontend. The binaries
 * are built once into .tools/bin with `go install`, like the CLI; docker/ runs the same server image.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { waitFor } from '../../libs/testing/src/wait';
import { isPortOpen } from './network';
import { say } from './output';
import { dataDir, repoRoot, toolsBin } from './paths';
import { capture, ManagedProcess, noop } from './processes';
import { DYNAMIC_CONFIG_FILE, prepareNamespace, temporalDescribe, type TemporalHandle } from './temporal';
import { findGo } from './temporal-cli';

/** The server version the CLI v1.5.1 bundles, and the UI server it bundles. */
export const CLUSTER_SERVER_VERSION = '1.29.1';
export const CLUSTER_UI_VERSION = '2.42.1';

interface Tool {
  name: string;
  module: string;
  version: string;
  /** What the binary prints with --version. */
  reports: RegExp;
}

export const CLUSTER_TOOLS: readonly Tool[] = [
  {
    name: 'temporal-server',
    module: 'go.temporal.io/server/cmd/server',
    version: CLUSTER_SERVER_VERSION,
    reports: new RegExp(`version ${CLUSTER_SERVER_VERSION.replace(/\./g, '\\.')}\\b`),
  },
  {
    name: 'temporal-sql-tool',
    module: 'go.temporal.io/server/cmd/tools/sql',
    version: CLUSTER_SERVER_VERSION,
    reports: new RegExp(`version ${CLUSTER_SERVER_VERSION.replace(/\./g, '\\.')}\\b`),
  },
  {
    name: 'temporal-ui-server',
    module: 'github.com/temporalio/ui-server/v2/cmd/server',
    version: CLUSTER_UI_VERSION,
    reports: new RegExp(`\\bv?${CLUSTER_UI_VERSION.replace(/\./g, '\\.')}\\b`),
  },
];

/** `go version -m` names the module version a binary was built from. */
function builtVersion(binary: string, tool: Tool): boolean {
  const go = findGo();
  if (!go) return capture(binary, ['--version']).out.match(tool.reports) !== null;
  const info = capture(go, ['version', '-m', binary]);
  const root = tool.module.split('/cmd/')[0] ?? tool.module;
  return (
    info.ok &&
    new RegExp(`\\bmod\\s+${root.replace(/\./g, '\\.')}\\s+v${tool.version.replace(/\./g, '\\.')}\\b`).test(info.out)
  );
}

/** Builds one tool into .tools/bin (its `go install` name is `server` or `sql`: renamed). */
async function ensureTool(tool: Tool): Promise<string> {
  const binary = join(toolsBin, tool.name);
  if (existsSync(binary) && builtVersion(binary, tool)) return binary;
  const go = findGo();
  if (!go)
    throw new Error(
      `${tool.name} ${tool.version} is not in .tools/bin and Go is not installed to build it (go install ${tool.module}@v${tool.version})`,
    );
  say(`building ${tool.name} v${tool.version} with go install into .tools/bin (a few minutes, once)…`);
  const scratch = join(repoRoot, '.tools', 'build', tool.name);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const build = new ManagedProcess(`go-${tool.name}`, go, ['install', `${tool.module}@v${tool.version}`], {
    env: { ...process.env, GOBIN: scratch, PATH: `${dirname(go)}${delimiter}${process.env.PATH ?? ''}` },
  }).start();
  await build.wait();
  const built = join(scratch, tool.module.split('/').pop() ?? '');
  if (build.exitCode !== 0 || !existsSync(built))
    throw new Error(`go install ${tool.module}@v${tool.version} failed (exit ${build.exitCode})`);
  mkdirSync(toolsBin, { recursive: true });
  renameSync(built, binary);
  return binary;
}

export interface ClusterTools {
  server: string;
  sql: string;
  ui: string;
}

/** The three binaries, built when missing (one at a time: two cores). */
export async function ensureClusterTools(): Promise<ClusterTools> {
  const [server, sql, ui] = CLUSTER_TOOLS;
  if (!server || !sql || !ui) throw new Error('CLUSTER_TOOLS lists the server, the SQL tool and the UI server');
  return { server: await ensureTool(server), sql: await ensureTool(sql), ui: await ensureTool(ui) };
}

/**
 * History shards: fixed when the cluster's database is first set up and never changeable after. 16 is
 * plenty for two history hosts on two cores (a shard is the unit a host owns and moves when a host dies;
 * far more shards than hosts keeps the move fine-grained) and small enough that idle shards cost little.
 * A production cluster sizes it for its largest future (docs/scaling.md): 512 to 4,096 is common.
 */
export const NUM_HISTORY_SHARDS = 16;

/** One server process: its name, the service it runs, its gRPC and membership ports (loopback). */
export interface ServiceProcess {
  name: string;
  service: 'frontend' | 'matching' | 'worker' | 'history';
  grpcPort: number;
  membershipPort: number;
}

/**
 * Where one cluster lives: its processes' ports and names, and Temporal's two databases. `npm run up`'s
 * has the frontend on 7233, where the API, the worker and the CLI expect Temporal; a test cluster is
 * the same shape moved by `offset`, with databases and logs of its own.
 */
export interface ClusterLayout {
  processes: readonly ServiceProcess[];
  frontendHttpPort: number;
  databases: { temporal: string; visibility: string };
}

export function clusterLayout(offset = 0, prefix = 'temporal', databaseSuffix = ''): ClusterLayout {
  const proc = (suffix: string, service: ServiceProcess['service'], grpc: number, membership: number) => ({
    name: `${prefix}-${suffix}`,
    service,
    grpcPort: grpc + offset,
    membershipPort: membership + offset,
  });
  return {
    processes: [
      proc('frontend', 'frontend', 7233, 6933),
      proc('history-1', 'history', 7234, 6934),
      proc('history-2', 'history', 7236, 6936),
      proc('matching', 'matching', 7235, 6935),
      proc('worker', 'worker', 7239, 6939),
    ],
    // The frontend's HTTP API (off the test stack's 7243).
    frontendHttpPort: 7253 + offset,
    databases: { temporal: `temporal${databaseSuffix}`, visibility: `temporal_visibility${databaseSuffix}` },
  };
}

export const CLUSTER_LAYOUT = clusterLayout();

const frontendOf = (layout: ClusterLayout): ServiceProcess =>
  layout.processes.find((x) => x.service === 'frontend') as ServiceProcess;

export interface ClusterDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The PostgreSQL server of a URL, for Temporal's own two databases. */
export function clusterDatabase(url: string): ClusterDatabase {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
  };
}

const yamlString = (s: string): string => JSON.stringify(s);

/** The server's static config for one process (pure; YAML, JSON-quoted strings). */
export function serverConfig(
  layout: ClusterLayout,
  p: ServiceProcess,
  db: ClusterDatabase,
  dynamicConfigFile: string,
  logLevel: 'warn' | 'info' = 'warn',
): string {
  const store = (database: string): string => `
      sql:
        pluginName: "postgres12"
        databaseName: ${yamlString(database)}
        connectAddr: ${yamlString(`${db.host}:${db.port}`)}
        connectProtocol: "tcp"
        user: ${yamlString(db.user)}
        password: ${yamlString(db.password)}
        maxConns: 10
        maxIdleConns: 10
        maxConnLifetime: "1h"`;
  const frontend = frontendOf(layout);
  // Every service is listed (membership tracks each service's ring); this process's own with its ports.
  const services = (['frontend', 'matching', 'worker', 'history'] as const)
    .map((service) => {
      const own = p.service === service ? p : (layout.processes.find((x) => x.service === service) as ServiceProcess);
      const http = service === 'frontend' ? `\n      httpPort: ${layout.frontendHttpPort}` : '';
      return `  ${service}:\n    rpc:\n      grpcPort: ${own.grpcPort}\n      membershipPort: ${own.membershipPort}\n      bindOnIP: "127.0.0.1"${http}`;
    })
    .join('\n');
  return `# Written by scripts/stack/temporal-cluster.ts for ${p.name}; edits are overwritten at the next start.
log:
  stdout: true
  level: "${logLevel}"
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${NUM_HISTORY_SHARDS}
  datastores:
    default:${store(layout.databases.temporal)}
    visibility:${store(layout.databases.visibility)}
global:
  membership:
    maxJoinDuration: "30s"
    broadcastAddress: "127.0.0.1"
services:
${services}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${frontend.grpcPort}"
      httpAddress: "127.0.0.1:${layout.frontendHttpPort}"
dcRedirectionPolicy:
  policy: "noop"
archival:
  history:
    state: "disabled"
  visibility:
    state: "disabled"
namespaceDefaults:
  archival:
    history:
      state: "disabled"
    visibility:
      state: "disabled"
dynamicConfigClient:
  filepath: ${yamlString(dynamicConfigFile)}
  pollInterval: "10s"
`;
}

/** The Web UI server's config: the frontend's address and the UI's port. */
export function uiConfig(frontendPort: number, uiPort: number, namespace: string): string {
  return `# Written by scripts/stack/temporal-cluster.ts; edits are overwritten at the next start.
temporalGrpcAddress: "127.0.0.1:${frontendPort}"
port: ${uiPort}
enableUi: true
defaultNamespace: ${yamlString(namespace)}
refreshInterval: "1m"
cors:
  unsafeAllowAllOrigins: false
  cookieInsecure: true
`;
}

/** Creates Temporal's two databases when missing and brings their schema to the version this server needs. */
export function setupClusterSchema(sqlTool: string, db: ClusterDatabase, layout: ClusterLayout, fresh = false): void {
  const base = ['--plugin', 'postgres12', '--ep', db.host, '--port', String(db.port), '--user', db.user];
  const env = { ...process.env, SQL_PASSWORD: db.password };
  for (const [database, schema] of [
    [layout.databases.temporal, 'postgresql/v12/temporal'],
    [layout.databases.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    // A test cluster starts from nothing: its databases are dropped first (`--force`: the tool would ask).
    if (fresh) capture(sqlTool, [...base, '--db', database, 'drop', '--force'], env);
    for (const step of [['create'], ['setup-schema', '-v', '0.0'], ['update-schema', '--schema-name', schema]]) {
      const run = capture(sqlTool, [...base, '--db', database, ...step], env);
      if (!run.ok) throw new Error(`temporal-sql-tool ${step[0]} on ${database} failed: ${run.out}`);
    }
  }
}

export interface ClusterOptions {
  layout?: ClusterLayout;
  /** Drop Temporal's databases first (a test cluster). */
  fresh?: boolean;
  /** `info` logs each shard a history host acquires ("Acquired shard"), for a test that moves them. */
  logLevel?: 'warn' | 'info';
  /** PostgreSQL for Temporal's own databases (TEMPORAL_DATABASE_URL, else the record's server). */
  databaseUrl: string;
  namespace: string;
  /** The Web UI's port; omit for a headless cluster. */
  uiPort?: number;
  /** Days a closed workflow's history is kept. */
  retentionDays?: number;
}

/**
 * Starts the cluster (or reuses one whose frontend answers on 7233): schema first (idempotent), then
 * each service as its own process, logs in .data/logs/, then the namespace and the search attributes.
 */
export async function startTemporalCluster(
  opts: ClusterOptions,
): Promise<TemporalHandle & { processes: ManagedProcess[] }> {
  const layout = opts.layout ?? CLUSTER_LAYOUT;
  const frontend = frontendOf(layout);
  const address = `127.0.0.1:${frontend.grpcPort}`;
  const uiUrl = opts.uiPort === undefined ? undefined : `http://localhost:${opts.uiPort}`;
  const tools = await ensureClusterTools();
  const cli = join(toolsBin, 'temporal');
  if (await isPortOpen(frontend.grpcPort)) {
    say(`Temporal: something already answers on ${address}; reusing it`);
    prepareNamespace(cli, address, opts.namespace);
    return { started: false, address, namespace: opts.namespace, uiUrl, stop: noop, start: noop, processes: [] };
  }
  const db = clusterDatabase(opts.databaseUrl);
  say(
    `Temporal cluster: schema of ${layout.databases.temporal} and ${layout.databases.visibility} on ${db.host}:${db.port}…`,
  );
  setupClusterSchema(tools.sql, db, layout, opts.fresh === true);
  const processes: ManagedProcess[] = [];
  for (const p of layout.processes) {
    const root = join(dataDir, 'cluster', p.name);
    mkdirSync(join(root, 'config'), { recursive: true });
    writeFileSync(
      join(root, 'config', 'development.yaml'),
      serverConfig(layout, p, db, DYNAMIC_CONFIG_FILE, opts.logLevel),
    );
    processes.push(
      new ManagedProcess(
        p.name,
        tools.server,
        ['--root', root, '--env', 'development', '--allow-no-auth', 'start', '--service', p.service],
        {
          env: { ...process.env, SQL_PASSWORD: db.password },
        },
      ),
    );
  }
  const uiPort = opts.uiPort;
  let ui: ManagedProcess | undefined;
  if (uiPort !== undefined) {
    const uiName = `${frontend.name.replace(/-frontend$/, '')}-ui`;
    const uiRoot = join(dataDir, 'cluster', uiName);
    mkdirSync(join(uiRoot, 'config'), { recursive: true });
    writeFileSync(join(uiRoot, 'config', 'development.yaml'), uiConfig(frontend.grpcPort, uiPort, opts.namespace));
    ui = new ManagedProcess(uiName, tools.ui, ['--root', uiRoot, '--env', 'development', 'start']);
  }
  const start = async (): Promise<void> => {
    const exited = (): string | undefined =>
      processes.map((p, i) => p.exitedReason() && `${layout.processes[i]?.name}: ${p.exitedReason()}`).find(Boolean);
    // One first: every service writes the cluster's metadata when it starts, and on a fresh database
    // five at once race to create it (the losers exit). The others start once it answers.
    const [first, ...rest] = processes;
    first?.start();
    await waitFor(`${frontend.name} on ${frontend.grpcPort}`, () => isPortOpen(frontend.grpcPort), {
      timeoutMs: 120_000,
      intervalMs: 500,
      abort: exited,
    });
    for (const proc of rest) proc.start();
    // Every service in the membership ring (the internal worker serves no gRPC), and the frontend healthy.
    await waitFor(
      `the Temporal cluster at ${address}`,
      async () =>
        (await Promise.all(layout.processes.map((p) => isPortOpen(p.membershipPort)))).every(Boolean) &&
        capture(cli, ['operator', 'cluster', 'health', '--address', address]).ok,
      { timeoutMs: 120_000, intervalMs: 1000, abort: exited },
    );
    await ensureNamespace(cli, address, opts.namespace, opts.retentionDays ?? 30);
    if (ui && uiPort !== undefined) {
      ui.start();
      await waitFor(`Temporal UI on ${uiPort}`, () => isPortOpen(uiPort), { timeoutMs: 30_000 });
    }
  };
  const all = ui ? [...processes, ui] : processes;
  try {
    await start();
  } catch (err) {
    // Nothing half-started is left behind: a caller that sees the error has no handle to stop.
    await Promise.all(all.map((p) => p.stop()));
    throw err;
  }
  return {
    started: true,
    address,
    namespace: opts.namespace,
    uiUrl,
    start,
    stop: async () => {
      await Promise.all(all.map((p) => p.stop()));
    },
    processes: all,
  };
}

/**
 * The namespace with its retention (created once), then its search attributes. A namespace just created
 * reaches every frontend's cache only at its next refresh (about 10 s): until then it is "not found".
 */
async function ensureNamespace(cli: string, address: string, namespace: string, retentionDays: number): Promise<void> {
  if (!temporalDescribe(cli, address, namespace)) {
    const created = capture(cli, [
      'operator',
      'namespace',
      'create',
      '-n',
      namespace,
      '--retention',
      `${retentionDays * 24}h`,
      '--address',
      address,
    ]);
    if (!created.ok && !/already exists/i.test(created.out))
      throw new Error(`could not create namespace ${namespace} on ${address}: ${created.out}`);
  }
  const listable = (): boolean =>
    capture(cli, ['operator', 'search-attribute', 'list', '-n', namespace, '--address', address, '-o', 'json']).ok;
  await waitFor(`namespace ${namespace} on ${address}`, listable, { timeoutMs: 60_000, intervalMs: 1000 });
  prepareNamespace(cli, address, namespace);
}
