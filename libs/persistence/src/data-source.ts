// The DataSource the TypeORM CLI loads (`npm run migration:generate`, `typeorm migration:revert -d …`).
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb';

export default new DataSource(dataSourceOptions(databaseUrl, 2));
