// Reads for loaders: named prepared statements, and results kept between requests until the schema changes.
//
// Prepared: PostgreSQL parses and plans each loader's SQL once per connection instead of on every request. Measured
// on the overview query (pg_stat_statements, track_planning on), planning took as long as executing, about 1 ms of
// PostgreSQL's CPU per request, all of it repeated work on the same dozen texts.
//
// Kept: a read is answered from memory when no change to the subgraph's schema was heard since it was read, as of a
// barrier started after the request arrived (revocation-listener.ts): every table notifies at commit
// (data-change-triggers.ts), so a request never sees data older than what was committed when it arrived. Reads whose
// SQL asks the clock (now()) are never kept, and a mutation's reads are never served from memory: they must see what
// the mutation itself just wrote, which its own notification may not have reached yet.
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { LRUCache } from 'lru-cache';
import type { Queryable } from './loaders';
import type { RevocationListener } from './revocation-listener';

interface PgPool {
  query(config: { name: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Whether this request's reads may be answered from memory: a query may, a mutation may not (readCachePlugin). */
export interface ReadCacheSwitch {
  enabled: boolean;
}

// SQL that reads the clock gives another answer later without any change to the data.
const READS_THE_CLOCK = /\bnow\(\)|\b(current_timestamp|current_date|current_time|localtimestamp|clock_timestamp|statement_timestamp|transaction_timestamp)\b/i;

/**
 * Loader results kept per process, bounded by rows (a page of members is 100): at most 100,000 rows, a few tens of
 * megabytes, the least recently used forgotten first.
 */
const KEPT_ROWS = 100_000;

interface Statement {
  name: string;
  keep: boolean;
}

export class PreparedReads implements Queryable {
  private readonly pool: PgPool;
  private readonly statements = new Map<string, Statement>();
  private readonly kept = new LRUCache<string, { generation: number; rows: unknown[] }>({ maxSize: KEPT_ROWS, sizeCalculation: (read) => read.rows.length + 1 });

  /** Without `changes`, nothing is kept: every read goes to PostgreSQL (as a prepared statement). */
  constructor(
    private readonly db: DataSource,
    private readonly changes?: RevocationListener,
  ) {
    this.pool = (db.driver as unknown as { master: PgPool }).master;
  }

  /** A read straight from PostgreSQL, as a prepared statement. */
  query(text: string, values?: unknown[]): Promise<unknown[]> {
    return this.run(this.statementOf(text), text, values);
  }

  /**
   * The reads of one request that arrived at `arrivedAt` (performance.now()): kept results are used while
   * `request.enabled`, once a barrier started after the arrival has returned.
   */
  forRequest(arrivedAt: number, request: ReadCacheSwitch): Queryable {
    return {
      query: async (text: string, values?: unknown[]) => {
        const statement = this.statementOf(text);
        if (!this.changes || !statement.keep || !request.enabled) return this.run(statement, text, values);
        if (!(await this.changes.barrier(arrivedAt))) return this.run(statement, text, values);
        // Read before the statement runs: a change that lands meanwhile moves it, and the result is not trusted later.
        const generation = this.changes.generation;
        const key = `${statement.name}:${JSON.stringify(values ?? [])}`;
        const hit = this.kept.get(key);
        if (hit && hit.generation === generation) return hit.rows;
        const rows = await this.run(statement, text, values);
        // Shared by every request that reads it from now on: frozen, so that no loader can change another's answer.
        for (const row of rows) Object.freeze(row);
        this.kept.set(key, { generation, rows: Object.freeze(rows) as unknown[] });
        return rows;
      },
    };
  }

  private statementOf(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = { name: `read_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, keep: !READS_THE_CLOCK.test(text) };
      this.statements.set(text, statement);
    }
    return statement;
  }

  private async run(statement: Statement, text: string, values?: unknown[]): Promise<unknown[]> {
    this.db.logger.logQuery(text, values);
    return (await this.pool.query({ name: statement.name, text, values })).rows;
  }
}

// What loaders computed from kept rows, by the rows' array (the same frozen array for every request that reads it).
const derivations = new WeakMap<readonly unknown[], Map<string, unknown>>();

/**
 * What `derive` makes of `rows`, computed once per kept read: a loader that sums or regroups the rows it read gets
 * its previous result back while the read is kept, instead of redoing the work on every request (billing summed
 * about 7,600 rows for the 200-project overview's totals: 13% of its CPU). Rows read fresh are derived every time.
 * The result is shared between requests like the rows: nobody may change it.
 */
export function derivedOnce<T>(rows: readonly unknown[], name: string, derive: () => T): T {
  if (!Object.isFrozen(rows)) return derive();
  let derived = derivations.get(rows);
  if (!derived) derivations.set(rows, (derived = new Map()));
  if (!derived.has(name)) {
    const result = derive();
    // Frozen like the rows (an array's items too), so that no request can change another's answer.
    if (Array.isArray(result)) for (const item of result) Object.freeze(item);
    derived.set(name, Object.freeze(result));
  }
  return derived.get(name) as T;
}

/**
 * A Queryable for loaders (reads, outside transactions) on the data source's own pool. Each distinct SQL text gets a
 * stable name from its hash, so a connection prepares it on first use and reuses it after; the statement is still
 * counted per request, as TypeORM's queries are (sql-statements.ts). Loaders name their columns: a prepared
 * `SELECT *` of a table fails ("cached plan must not change result type") once a migration adds a column to it.
 */
export function preparedReads(db: DataSource, changes?: RevocationListener): PreparedReads {
  return new PreparedReads(db, changes);
}
