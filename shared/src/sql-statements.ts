// Counts SQL statements: in total per schema (a metric), and per request, so a query's statement count can be checked.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'typeorm';
import { LRUCache } from 'lru-cache';
import { Counter } from 'prom-client';
import { logger } from './logger';

const statements = new Counter({
  name: 'db_statements_total',
  help: 'SQL statements sent to PostgreSQL, by database schema.',
  labelNames: ['schema'] as const,
});
/** The request (by its x-request-id) that the code running now works for; set by serve() around each request. */
const currentRequest = new AsyncLocalStorage<{ requestId: string }>();
let countingPerRequest = false;

/**
 * Counts statements per request from now on (the tests, which assert counts). Off by default: knowing the request
 * wherever a statement is sent takes AsyncLocalStorage, whose hook runs for every promise the process creates; for
 * the 200-project overview that was about 6% of the organizations subgraph's CPU (`node --cpu-prof`), for a count
 * production reads nowhere (`db_statements_total` stays).
 */
export function countStatementsPerRequest(): void {
  countingPerRequest = true;
}

/** Runs `handle` as the work of request `requestId`, when statements are counted per request. */
export function asRequest<T>(requestId: string, handle: () => T): T {
  return countingPerRequest ? currentRequest.run({ requestId }, handle) : handle();
}
// Recent requests' statement counts: enough to read one back right after the request, bounded whatever the traffic.
const statementsByRequest = new LRUCache<string, number>({ max: 10_000 });

/**
 * How many SQL statements this process sent for a request, by the x-request-id the gateway forwards to every
 * subgraph it calls: background work (key reloads, credential checks other services ask for) is not counted.
 */
export function sqlStatementsFor(requestId: string): number {
  return statementsByRequest.get(requestId) ?? 0;
}

/** TypeORM's logger for one schema: counts every statement (per request and in total) and logs the slow and failed. */
export class StatementCounter implements Logger {
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
