/**
 * What this service asks of any Temporal server it runs against, whoever started it: its namespace,
 * the search attributes of the API contract, and the dynamic config of docker/temporal-dynamicconfig.yaml.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTE_TYPES } from '../../libs/temporal/src/definitions';
import { repoRoot } from './paths';
import { capture, type ServiceHandle } from './processes';

/** The custom search attributes of the API contract, by name and type, as the workflow defines them. */
export const SEARCH_ATTRIBUTES = SEARCH_ATTRIBUTE_TYPES;

/** The dynamic config this service relies on, shared by every server it starts and by docker/compose.yaml. */
export const DYNAMIC_CONFIG_FILE = join(repoRoot, 'docker', 'temporal-dynamicconfig.yaml');

type DynamicConfigValue = string | number | boolean;

/**
 * The values of a Temporal dynamic-config file (`key: [{ value, constraints? }]`) that hold everywhere
 * (no constraints), for the dev server's `--dynamic-config-value` flags. The file says what each is for;
 * docs/scaling.md why.
 */
export function parseDynamicConfig(text: string): Record<string, DynamicConfigValue> {
  const doc = (parse(text) ?? {}) as Record<string, { value: unknown; constraints?: unknown }[]>;
  const values: Record<string, DynamicConfigValue> = {};
  for (const [key, entries] of Object.entries(doc)) {
    const general = entries.find((e) => e.constraints === undefined);
    if (!general) continue;
    const v = general.value;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw new Error(`${key}: a dynamic-config value the dev server cannot take as a flag: ${JSON.stringify(v)}`);
    values[key] = v;
  }
  return values;
}

/** What this service asks of every Temporal server it starts: docker/temporal-dynamicconfig.yaml, read once. */
export const SERVER_DYNAMIC_CONFIG: Readonly<Record<string, DynamicConfigValue>> = parseDynamicConfig(
  readFileSync(DYNAMIC_CONFIG_FILE, 'utf8'),
);

export interface TemporalHandle extends ServiceHandle {
  readonly address: string;
  readonly namespace: string;
  readonly uiUrl?: string;
}

/** Whether the server at `address` answers for `namespace`. */
export function temporalDescribe(cli: string, address: string, namespace: string): boolean {
  return capture(cli, ['operator', 'namespace', 'describe', '-n', namespace, '--address', address]).ok;
}

/** `INDEXED_VALUE_TYPE_KEYWORD_LIST` → `KeywordList`: how the CLI's JSON names a type, as the CLI's flag does. */
export function searchAttributeTypeName(indexed: string): string {
  return indexed
    .replace(/^INDEXED_VALUE_TYPE_/, '')
    .toLowerCase()
    .split('_')
    .map((w) => (w === 'datetime' ? 'Datetime' : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
}

/** Which of our search attributes are missing, and which exist with another type (pure; unit-tested). */
export function searchAttributeGaps(
  custom: Record<string, string>,
  wanted: Record<string, string> = SEARCH_ATTRIBUTES,
): { missing: string[]; wrong: string[] } {
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const [name, type] of Object.entries(wanted)) {
    const existing = custom[name];
    if (existing === undefined) missing.push(name);
    else if (searchAttributeTypeName(existing) !== type)
      wrong.push(`${name} is ${searchAttributeTypeName(existing)}, this service needs ${type}`);
  }
  return { missing, wrong };
}

/**
 * Makes sure a server we did not start has our namespace and search attributes; fails, naming them,
 * when one exists with another type (a workflow would then fail to upsert it).
 */
export function prepareNamespace(cli: string, address: string, namespace: string): void {
  if (!temporalDescribe(cli, address, namespace)) {
    const created = capture(cli, ['operator', 'namespace', 'create', '-n', namespace, '--address', address]);
    if (!created.ok) throw new Error(`could not create namespace ${namespace} on ${address}: ${created.out}`);
  }
  const listed = capture(cli, [
    'operator',
    'search-attribute',
    'list',
    '-n',
    namespace,
    '--address',
    address,
    '-o',
    'json',
  ]);
  if (!listed.ok) throw new Error(`could not list the search attributes of ${namespace} on ${address}: ${listed.out}`);
  const custom = (JSON.parse(listed.out) as { customAttributes?: Record<string, string> }).customAttributes ?? {};
  const { missing, wrong } = searchAttributeGaps(custom);
  if (wrong.length > 0)
    throw new Error(`namespace ${namespace} on ${address} has search attributes of another type: ${wrong.join('; ')}`);
  for (const name of missing) {
    const type = SEARCH_ATTRIBUTES[name] as string;
    const created = capture(cli, [
      'operator',
      'search-attribute',
      'create',
      '-n',
      namespace,
      '--address',
      address,
      '--name',
      name,
      '--type',
      type,
    ]);
    if (!created.ok)
      throw new Error(`could not create search attribute ${name} (${type}) in ${namespace}: ${created.out}`);
  }
}
