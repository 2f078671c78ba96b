import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTES, SERVER_DYNAMIC_CONFIG } from '../../scripts/stack';

// The production-like compose file cannot run here (no Docker engine): these keep it in step with the code.
const root = join(__dirname, '..', '..');
const compose = readFileSync(join(root, 'docker', 'compose.yaml'), 'utf8');

describe('docker/compose.yaml', () => {
  it('runs the Temporal server image, with admin tools of the same version, not the auto-setup development image', () => {
    expect(compose).not.toMatch(/temporalio\/auto-setup/);
    const server = /image: temporalio\/server:(\S+)/.exec(compose)?.[1];
    const tools = /temporalio\/admin-tools:(\S+)/.exec(compose)?.[1];
    expect(server).toMatch(/^\d+\.\d+\.\d+$/);
    expect(tools?.startsWith(`${server}-`) || tools === server).toBe(true);
  });

  it('applies the schema in a one-shot step that the server waits for', () => {
    expect(compose).toMatch(/temporal-schema:[\s\S]*temporal-sql-tool[\s\S]*update-schema[\s\S]*visibility\/versioned/);
    expect(compose).toMatch(
      / {2}temporal:\n[\s\S]*?depends_on:\n {6}temporal-schema:\n {8}condition: service_completed_successfully/,
    );
  });

  it('registers the search attributes the dev server gets (scripts/stack/temporal.ts) on the namespace the apps use', () => {
    const namespace = /TEMPORAL_NAMESPACE: (\S+)/.exec(compose)?.[1];
    expect(compose).toContain(`NAMESPACE: ${namespace}`);
    const registered = /for sa in ([^;]+); do/.exec(compose)?.[1]?.trim().split(/\s+/);
    expect(registered?.sort()).toEqual(
      Object.entries(SEARCH_ATTRIBUTES)
        .map(([name, type]) => `${name}=${type}`)
        .sort(),
    );
  });

  it('gives the server the dynamic config file docs/scaling.md describes', () => {
    expect(compose).toContain('./temporal-dynamicconfig.yaml:/etc/temporal/config/dynamicconfig/dipb.yaml:ro');
    const dynamic = readFileSync(join(root, 'docker', 'temporal-dynamicconfig.yaml'), 'utf8');
    for (const key of [
      'frontend.enableUpdateWorkflowExecution',
      'frontend.enableExecuteMultiOperation',
      'history.maxInFlightUpdates',
      'system.enableActivityEagerExecution',
    ]) {
      expect(dynamic).toContain(`${key}:`);
    }
    // The same values as the dev servers the scripts start.
    for (const [key, value] of Object.entries(SERVER_DYNAMIC_CONFIG))
      expect(dynamic).toContain(`${key}:\n  - value: ${String(value)}`);
  });
});
