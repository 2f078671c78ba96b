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

/** Makes sure a server we did not start has our namespace and search attributes. */
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
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
    if (listed.ok && listed.out.includes(`"${name}"`)) continue;
    capture(cli, [
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
      '--yes',
    ]);
  }
}
