// Minimal global setup for the `int` project (written by the foundation; the lead owns it now):
// migrate and seed the test database once before the integration tests run.
import { runMigrationsAndSeed } from '../../persistence/src/migrate';

export default async function globalSetup(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL must be set for integration tests (npm test sets it)');
  await runMigrationsAndSeed(databaseUrl);
}
