import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workflowBundleOptions } from '../../temporal/src/bundle';
import { runMigrationsAndSeed } from '../../persistence/src/migrate';
import { TEST_WORKFLOW_BUNDLE } from './paths';

const root = join(__dirname, '..', '..', '..');

/**
 * Once before the integration tests: migrate and seed the test database, and bundle the workflow
 * code once so that every worker a test starts loads it in a second instead of bundling again.
 */
export default async function globalSetup(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL must be set for integration tests (npm test sets it)');
  await runMigrationsAndSeed(databaseUrl);

  const bundle = await bundleWorkflowCode(workflowBundleOptions(root));
  mkdirSync(dirname(TEST_WORKFLOW_BUNDLE), { recursive: true });
  writeFileSync(TEST_WORKFLOW_BUNDLE, bundle.code);
}
