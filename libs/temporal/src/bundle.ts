import { join } from 'node:path';
import { TsconfigPathsPlugin } from 'tsconfig-paths-webpack-plugin';
import type { BundleOptions } from '@temporalio/worker';

/**
 * How `workflows/` is bundled, wherever it is (the worker at start, the test setup, a build step):
 * the tsconfig path aliases (`@app/domain`, `@app/temporal`) resolve inside the bundle too.
 */
export function workflowBundleOptions(repoRoot: string): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook'> {
  return {
    workflowsPath: join(repoRoot, 'workflows', 'index.ts'),
    webpackConfigHook: (config) => {
      config.resolve = config.resolve ?? {};
      config.resolve.plugins = [...(config.resolve.plugins ?? []), new TsconfigPathsPlugin({ configFile: join(repoRoot, 'tsconfig.json') })];
      return config;
    },
  };
}
