import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** The workflow bundle the integration tests' global setup builds once, for every worker and replay. */
export const TEST_WORKFLOW_BUNDLE = join(REPO_ROOT, '.data', 'test', 'workflow-bundle.js');
