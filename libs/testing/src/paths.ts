import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** The workflow bundle the integration tests' global setup builds once, for every worker and replay. */
export const TEST_WORKFLOW_BUNDLE = join(REPO_ROOT, '.data', 'test', 'workflow-bundle.js');

/** The v1 workflow code alone (test/workflows/v1): a worker as deployed before the core redesign. */
export const TEST_V1_WORKFLOW_BUNDLE = join(REPO_ROOT, '.data', 'test', 'workflow-bundle-v1.js');
