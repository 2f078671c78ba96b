/** @jest-config-loader esbuild-register */
// esbuild-register transpiles this file (the docblock above), whatever type stripping the running Node.js offers.
import type { Config } from 'jest';

// Every path alias of tsconfig.json. Exact names first, then the `/*` forms.
const moduleNameMapper: Record<string, string> = {
  '^@app/(domain|persistence|notifications|temporal|config|reports|testing)$': '<rootDir>/libs/$1/src',
  '^@app/(domain|persistence|notifications|temporal|config|reports|testing)/(.*)$': '<rootDir>/libs/$1/src/$2',
  '^@workflows$': '<rootDir>/workflows',
  '^@workflows/(.*)$': '<rootDir>/workflows/$1',
};

// Type checking is phase (b) of `npm test` (tsc --noEmit); here we only transpile, fast.
const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }],
};

const common = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform,
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/', '/.tools/'],
};

// Test files live next to the code they test, or in test/; scripts/ holds the stack's own.
const where = '<rootDir>/{apps,libs,workflows,test,scripts}/**/';

const config: Config = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [`${where}*.spec.ts`],
    },
    {
      ...common,
      displayName: 'int',
      testMatch: [`${where}*.int-spec.ts`, `${where}*.e2e-spec.ts`],
      // Against real PostgreSQL, Temporal and SMTP: migrations once, then tests one file at a time
      // (`npm test` passes --runInBand).
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/int-setup.ts'],
      testTimeout: 120_000,
      slowTestThreshold: 30,
    },
    {
      // The reliability suite (`npm run test:faults`, also run by `npm test`) on a stack of its own.
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/int-setup.ts'],
      slowTestThreshold: 60,
    },
  ],
};

export default config;
