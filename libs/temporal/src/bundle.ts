import { join } from 'node:path';
import { TsconfigPathsPlugin } from 'tsconfig-paths-webpack-plugin';
import type { BundleOptions } from '@temporalio/worker';

/**
 * Workflow interceptors, always in the bundle whether tracing is on or not, so that the workflow code
 * (and so its history) never depends on configuration: OpenTelemetry spans for the workflow's updates
 * and the activities it schedules, continuing the caller's trace from the headers.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/**
 * How `workflows/` is bundled, wherever it is (the worker at start, the test setup, a build step):
 * the tsconfig path aliases (`@app/domain`, `@app/temporal`) resolve inside the bundle too.
 */
export function workflowBundleOptions(
  repoRoot: string,
  workflowsPath = join(repoRoot, 'workflows', 'index.ts'),
): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook' | 'workflowInterceptorModules'> {
  return {
    workflowsPath,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    webpackConfigHook: (config) => {
      config.resolve = config.resolve ?? {};
      config.resolve.plugins = [
        ...(config.resolve.plugins ?? []),
        new TsconfigPathsPlugin({ configFile: join(repoRoot, 'tsconfig.json') }),
      ];
      return config;
    },
  };
}
