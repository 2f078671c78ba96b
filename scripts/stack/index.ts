/**
 * The local stack, as reusable functions: the Temporal CLI and its dev server, PostgreSQL (an
 * existing server, or an embedded one), MailDev, and the processes we spawn for them. Used by
 * `scripts/up.ts`, `scripts/test.ts`, the bench and the fault tests that stop and restart parts.
 * One file per concern; waiting is `sleep`/`waitFor` from `libs/testing/src/wait.ts`.
 */
export * from './paths';
export * from './output';
export * from './processes';
export * from './shutdown';
export * from './network';
export * from './versions';
export * from './temporal-cli';
export * from './temporal';
export * from './temporal-dev-server';
export * from './postgres';
export * from './mail';
export * from './temporal-cluster';
