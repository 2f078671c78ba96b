/**
 * What this service asks of any Temporal server it runs against, whoever started it: its namespace,
 * the search attributes of the API contract, and the dynamic config below.
 */
import { SEARCH_ATTRIBUTE_TYPES } from '../../libs/temporal/src/definitions';
import { capture, type ServiceHandle } from './processes';

/** The custom search attributes of the API contract, by name and type, as the workflow defines them. */
export const SEARCH_ATTRIBUTES = SEARCH_ATTRIBUTE_TYPES;

/**
 * What this service asks of every Temporal server it starts (docker/temporal-dynamicconfig.yaml says
 * the same for the compose stack; docs/scaling.md why):
 * - updates in flight per workflow: 32 delegates may answer in the same second, and each update is
 *   open until its events are in PostgreSQL; past the limit the server answers RESOURCE_EXHAUSTED and
 *   the client backs off a second or more;
 * - eager activity dispatch: the activity a workflow task schedules (a command's projection) runs on
 *   the worker that completed the task, without a round trip through the task queue.
 */
export const SERVER_DYNAMIC_CONFIG: Record<string, number | boolean> = {
  'history.maxInFlightUpdates': 64,
  'system.enableActivityEagerExecution': true,
};

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
