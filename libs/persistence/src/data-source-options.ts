import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** One definition of the connection for the CLI, the scripts, the tests and the Nest module. */
export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // No entities: every read and write is SQL in repositories/, and the migrations alone describe the schema.
    synchronize: false,
    migrationsRun: false,
    // Failed queries surface as thrown errors, logged once by whoever handles them.
    logging: ['migration'],
    poolSize,
    // A request fails fast (503) instead of hanging when PostgreSQL is unreachable.
    extra: { max: poolSize, application_name: 'dipb', connectionTimeoutMillis: 5000 },
  };
}

/** A connected DataSource for a script outside Nest (which keeps `typeorm` out of scripts/); the caller destroys it. */
export function openDataSource(databaseUrl: string, poolSize = 2): Promise<DataSource> {
  return new DataSource(dataSourceOptions(databaseUrl, poolSize)).initialize();
}
