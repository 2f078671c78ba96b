import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workflowBundleOptions } from '../../temporal/src/bundle';
import { runMigrationsAndSeed } from '../../persistence/src/migrate';
import { TEST_V1_WORKFLOW_BUNDLE, TEST_WORKFLOW_BUNDLE } from './paths';

const root = join(__dirname, '..', '..', '..');

/**
 * Once before the integration tests: migrate and seed the test database, and bundle the workflow
 * code once so that every worker a test starts loads it in a second instead of bundling again (and
 * the v1 code alone, for the tests of recommendations started before the core redesign).
 */
export default async function globalSetup(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL must be set for integration tests (npm test sets it)');
  await runMigrationsAndSeed(databaseUrl);

  const [current, v1] = await Promise.all([
    bundleWorkflowCode(workflowBundleOptions(root)),
    bundleWorkflowCode(workflowBundleOptions(root, join(root, 'test', 'workflows', 'v1', 'index.ts'))),
  ]);
  mkdirSync(dirname(TEST_WORKFLOW_BUNDLE), { recursive: true });
  writeFileSync(TEST_WORKFLOW_BUNDLE, current.code);
  writeFileSync(TEST_V1_WORKFLOW_BUNDLE, v1.code);
}
