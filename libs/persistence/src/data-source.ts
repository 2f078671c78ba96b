// The DataSource the TypeORM CLI loads: `npx tsx node_modules/typeorm/cli.js migration:revert -d libs/persistence/src/data-source.ts`.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb';

export default new DataSource(dataSourceOptions(databaseUrl, 2));
