// Opens a subgraph's connection to its own PostgreSQL schema and runs its migrations.
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { StatementCounter } from './sql-statements';

export interface DatabaseOptions {
  url: string;
  /**
   * The same database and role reached without a transaction-mode pooler, for what needs a session of its own: the
   * migrations' advisory lock here, and LISTEN (`sessionUrl`). `url` when unset.
   */
  directUrl?: string;
  /** The PostgreSQL schema this subgraph owns; its tables and migration history live there. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

// Relays are built from the DataSource alone, in every subgraph: it carries where their listening sessions go.
const directUrls = new WeakMap<DataSource, string>();

/** Where a connection of `db`'s that must keep its session (LISTEN) connects: the direct URL it was opened with, else its own. */
export function sessionUrl(db: DataSource): string | undefined {
  return directUrls.get(db) ?? (db.options as PostgresDataSourceOptions).url;
}

function dataSource(options: DatabaseOptions, url: string, poolSize: number): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
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
    // No parallel query: the API runs many small statements at once, and workers started per execution cost more than
    // they share. The report's breakdowns (the 200-project organization, 100,000 events, 30 days) took 50-80 ms with the
    // generic plan's two workers, 15 ms without (EXPLAIN ANALYZE on the bench's data).
    extra: { max: poolSize, options: `-c search_path=${options.schema} -c plan_cache_mode=force_generic_plan -c max_parallel_workers_per_gather=0` },
  });
}

/** Connects, creates the schema if needed and applies pending migrations (serialised across replicas). */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  if (!SCHEMA_NAME.test(options.schema)) throw new Error(`Invalid schema name ${options.schema}`);
  const pool = await dataSource(options, options.url, options.poolSize ?? 10).initialize();
  const directUrl = options.directUrl ?? options.url;
  directUrls.set(pool, directUrl);
  // The advisory lock belongs to a session: through a transaction-mode pooler the unlock could reach another server
  // connection, and the lock stay held. So migrations run over the direct URL, on a DataSource of their own when it
  // differs (two connections: the lock's, and the migrations').
  const migrator = directUrl === options.url ? pool : await dataSource(options, directUrl, 2).initialize();
  try {
    await migrate(migrator, options.schema);
  } catch (error) {
    // A service that cannot migrate does not start: its pool must not keep the process alive.
    await pool.destroy();
    throw error;
  } finally {
    if (migrator !== pool && migrator.isInitialized) await migrator.destroy();
  }
  return pool;
}

async function migrate(db: DataSource, schema: string): Promise<void> {
  const runner = db.createQueryRunner();
  try {
    // Replicas starting together would race on the migration table: one at a time per schema.
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    // A role that owns only its schema may not create schemas: create it only if it is missing.
    const [existing] = await runner.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (!existing) await runner.query(`CREATE SCHEMA "${schema}"`);
    await db.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]).catch(() => undefined);
    await runner.release();
  }
}
