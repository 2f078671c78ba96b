// `npm run migration:run`: applies the TypeORM migrations and seeds the Allies.
import { runMigrationsAndSeed } from '../libs/persistence/src/migrate';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb';

runMigrationsAndSeed(databaseUrl).then(
  () => console.log(`migrated and seeded ${new URL(databaseUrl).pathname.slice(1)}`),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
