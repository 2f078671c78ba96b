// Flat config: type-aware typescript-eslint with the house rules, and the
// determinism fence around workflows/ and libs/domain/. Prettier owns formatting (last).
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Workflow code is replayed: it must not reach the outside world or Node built-ins.
// Type-only imports stay allowed (workflows import the *types* of activities).
const notInDeterministicCode = [
  '@nestjs/*',
  'typeorm',
  'typeorm/*',
  'pg',
  'nodemailer',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  'fs',
  'fs/*',
  'node:*',
  'path',
  'crypto',
  'child_process',
  'http',
  'https',
  'os',
  '@app/persistence',
  '@app/persistence/*',
  '@app/notifications',
  '@app/notifications/*',
  '@app/config',
  '@app/config/*',
  '@app/reports',
  '@app/reports/*',
];

// The database is reached through libs/persistence only (its repositories hold all the SQL). The files
// below need a raw connection of their own: each says why.
const rawDatabaseAccess = [
  'scripts/stack/postgres.ts', // creates and drops the stack's databases
  'scripts/bench/reads.ts', // the bare-`pg` baseline the API's reads are measured against
  'scripts/bench/reminders.ts', // reads when each reminder was sent
  'scripts/bench/texts.ts', // waits for the outbox to show the messages sent
  'scripts/bench/soak.ts', // counts the outbox by status once nothing is pending
  'scripts/bench/commands.ts', // waits for the outbox to send what the rounds owe before each series
  'scripts/bench/flood.ts', // digests the record before and after the flood
  'scripts/bench/sync.ts', // bare-`pg` baselines (feed pages, a delivery's statements); LISTENs for commits; waits for the outbox
  'libs/notifications/src/notifications.int-spec.ts', // arranges and inspects outbox and directory rows
  'test/digest.e2e-spec.ts', // inspects the digest's outbox rows
  'test/security/fuzz.e2e-spec.ts', // checks that a refused request left the tables untouched
  'test/notifications.e2e-spec.ts', // sees the reminders' outbox rows composed ahead, kept, released
  'test/faults/soak.faults-spec.ts', // checks that no outbox row was left pending
];

export default tseslint.config(
  // test/contract/generated/ is openapi-typescript's output (npm run openapi), type-checked but not linted.
  { ignores: ['dist/', 'node_modules/', '.tools/', '.data/', '.bench/', 'coverage/', 'test/contract/generated/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'libs/domain/**/*.ts'],
    // Tests next to workflow code never enter the workflow bundle (replay tests need the worker).
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: notInDeterministicCode,
              allowTypeImports: true,
              message:
                'workflows/ and libs/domain/ must stay deterministic: no Node built-ins, I/O libraries, Nest, or Temporal client/worker/activity APIs.',
            },
          ],
        },
      ],
    },
  },
  {
    // The core rule, so it adds to the determinism fence above instead of replacing it; it refuses type imports too.
    files: ['**/*.ts'],
    ignores: ['libs/persistence/**', ...rawDatabaseAccess],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['pg', 'pg/*', 'typeorm', 'typeorm/*', '@nestjs/typeorm', '@nestjs/typeorm/*'],
              message: 'SQL and connections live in libs/persistence: use (or add) a repository there.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests may use `expect.any(...)` and friends, which are typed `any`.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // The generated-client test shows what another system gets from the document alone: no casts.
    files: ['test/contract/**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  {
    // Plain JavaScript (this file, scripts/ensure-deps.mjs) is outside tsconfig.json.
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
