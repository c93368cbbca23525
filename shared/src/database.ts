// Opens a subgraph's connection to its own PostgreSQL schema, runs its migrations, and counts SQL statements.
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, type Logger, type MixedList, type EntitySchema } from 'typeorm';
import { LRUCache } from 'lru-cache';
import { Counter } from 'prom-client';
import { logger } from './logger';

const statements = new Counter({
  name: 'db_statements_total',
  help: 'SQL statements sent to PostgreSQL, by database schema.',
  labelNames: ['schema'] as const,
});
/** The request (by its x-request-id) that the code running now works for; set by serve() around each request. */
export const currentRequest = new AsyncLocalStorage<{ requestId: string }>();
// Recent requests' statement counts: enough to read one back right after the request, bounded whatever the traffic.
const statementsByRequest = new LRUCache<string, number>({ max: 10_000 });

/**
 * How many SQL statements this process sent for a request, by the x-request-id the gateway forwards to every
 * subgraph it calls: background work (key reloads, credential checks other services ask for) is not counted.
 */
export function sqlStatementsFor(requestId: string): number {
  return statementsByRequest.get(requestId) ?? 0;
}

class StatementCounter implements Logger {
  constructor(private readonly schema: string) {}
  logQuery(query: string): void {
    const request = currentRequest.getStore();
    if (request) statementsByRequest.set(request.requestId, (statementsByRequest.get(request.requestId) ?? 0) + 1);
    statements.inc({ schema: this.schema });
    logger.trace({ schema: this.schema, query }, 'sql');
  }
  logQueryError(error: string | Error, query: string): void {
    logger.debug({ schema: this.schema, query, err: error }, 'sql failed');
  }
  logQuerySlow(time: number, query: string): void {
    logger.warn({ schema: this.schema, query, ms: time }, 'slow sql');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    logger.info({ schema: this.schema }, message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') logger.warn({ schema: this.schema }, String(message));
  }
}

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
    extra: { max: options.poolSize ?? 10, options: `-c search_path=${options.schema}` },
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
