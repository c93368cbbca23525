// Opens a subgraph's connection to its own PostgreSQL schema and runs its migrations.
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { StatementCounter } from './sql-statements';

export interface DatabaseOptions {
  url: string;
  /** The PostgreSQL schema this subgraph owns; its tables and migration history live there. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** Connects, creates the schema if needed and applies pending migrations (serialised across replicas). */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  if (!SCHEMA_NAME.test(options.schema)) throw new Error(`Invalid schema name ${options.schema}`);
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: true,
    logger: new StatementCounter(options.schema),
    maxQueryExecutionTime: 1000,
    // Generic plans for the loaders' prepared statements (prepared-reads.ts): they are index lookups by key whose plan
    // does not depend on the values, and PostgreSQL's default kept re-planning the report queries on every call.
    extra: { max: options.poolSize ?? 10, options: `-c search_path=${options.schema} -c plan_cache_mode=force_generic_plan` },
  });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    // Replicas starting together would race on the migration table: one at a time per schema.
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${options.schema}`]);
    // A role that owns only its schema may not create schemas: create it only if it is missing.
    const [existing] = await runner.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [options.schema]);
    if (!existing) await runner.query(`CREATE SCHEMA "${options.schema}"`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${options.schema}`]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}
