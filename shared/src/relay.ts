// Relays an outbox table: claims due rows (FOR UPDATE SKIP LOCKED, so replicas share the work without handling one
// row twice), hands each to `deliver`, marks it sent, or retries with back-off until it gives up. The email outbox
// (outbox-worker.ts) and the event outbox (event-outbox.ts) are two relays of this one loop.
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { sessionUrl } from './database';
import { logger } from './logger';

export interface RelayOptions {
  /** Attempts per row, the first included, before it is marked failed. */
  maxAttempts: number;
  /** The wait after the first failure; each further failure doubles it, up to an hour. */
  retryBaseSeconds: number;
  /** How often the table is looked at without a notification: for retries, and notifications missed. */
  pollIntervalMs?: number;
  /** Rows claimed and delivered at once. */
  batchSize?: number;
}

/**
 * What a relay moves and how. The table has at least `id`, `status` ('pending' | 'sent' | 'failed'), `attempts`,
 * `next_attempt_at`, `last_error`, `created_at` and `sent_at`, and a partial index on `next_attempt_at` for pending rows.
 */
export interface RelayDefinition<Row> {
  /** The table, in the schema the DataSource works in. */
  table: string;
  /** The columns `deliver` reads, besides id and attempts. */
  columns: string[];
  /** What a row is, for the log: "email", "event". */
  noun: string;
  /** The notification channel writers notify (at commit) so the relay looks at once. */
  channel: (schema: string) => string;
  /** Delivers one row; throws to retry, or throws an error with `permanent: true` to give up at once. */
  deliver: (row: Row & ClaimedRow) => Promise<void>;
  /** Extra assignments for a delivered row, such as clearing a body that held a credential. */
  onDelivered?: string;
}

export interface ClaimedRow {
  id: string;
  attempts: number;
}

const MAX_RETRY_DELAY_SECONDS = 3600;
// A claimed row is not claimed again for this long, so a relay that died mid-delivery hands it on. It is far above
// the SMTP and HTTP timeouts, so a slow delivery is never doubled by another relay.
const LEASE_SECONDS = 300;
// Delivered and failed rows are kept this long for operators, then deleted.
const RETENTION_DAYS = 30;
const PRUNE_EVERY_MS = 3600_000;

/** Seconds to wait before the next attempt after `failures` failed ones: exponential, capped at an hour. */
export function retryDelaySeconds(failures: number, baseSeconds: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, baseSeconds * 2 ** Math.max(0, failures - 1));
}

/** Why a delivery failed, for the row and the log: the other side's answer, never the row's content. */
const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

/**
 * One per process and table: `start()` at setup, `await stop()` at shutdown (it finishes the rows in hand).
 * Delivery is at least once: a relay that dies after the other side accepted a row but before it was marked sent
 * leaves it to be delivered again when its lease runs out, so receivers must be idempotent.
 */
export class Relay<Row = object> {
  protected readonly log;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly claim: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private listener: Client | null = null;
  private lastPrune = 0;

  constructor(
    private readonly db: DataSource,
    private readonly definition: RelayDefinition<Row>,
    private readonly options: RelayOptions,
  ) {
    this.log = logger.child({ component: `${definition.table} relay` });
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.batchSize = options.batchSize ?? 10;
    const { table, columns } = definition;
    // Counting the attempt when claiming means a relay that dies mid-delivery still uses one up: a row that crashes
    // its deliverer cannot loop forever. (The UPDATE sits in a WITH so that TypeORM hands back its rows rather than
    // an [rows, count] pair.)
    this.claim = `
      WITH claimed AS (
        UPDATE ${table} SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
         WHERE id IN (SELECT id FROM ${table} WHERE status = 'pending' AND next_attempt_at <= now()
                       ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING ${['id', 'attempts', ...columns].join(', ')}
      ) SELECT * FROM claimed`;
  }

  /** Starts delivering in the background. */
  start(description: string): void {
    if (this.running) return;
    this.running = true;
    this.log.info({ to: description }, `delivering queued ${this.definition.noun}s`);
    this.loop = this.run();
  }

  /** Stops looking for work and waits for the rows being delivered now. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  /** Looks at the table now rather than at the next poll (a notification, or a test). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Claims and delivers one batch of due rows; how many it claimed, and when the soonest retry among them is due. */
  async deliverDue(): Promise<{ claimed: number; retryInMs: number | null }> {
    const rows: (Row & ClaimedRow)[] = await this.db.query(this.claim, [this.batchSize, LEASE_SECONDS]);
    const retries = await Promise.all(rows.map((row) => this.deliver(row)));
    const delays = retries.filter((delay): delay is number => delay !== null);
    return { claimed: rows.length, retryInMs: delays.length > 0 ? Math.min(...delays) * 1000 : null };
  }

  /** Delivers one claimed row; the seconds until its retry, or null when it is done (sent, or given up on). */
  private async deliver(row: Row & ClaimedRow): Promise<number | null> {
    const { table, noun } = this.definition;
    const about = { id: row.id, attempt: row.attempts };
    try {
      await this.definition.deliver(row);
    } catch (error) {
      const reason = reasonOf(error);
      // A permanent refusal (an SMTP 5xx, an HTTP 4xx) will not change by retrying.
      const permanent = (error as { permanent?: unknown }).permanent === true;
      if (permanent || row.attempts >= this.options.maxAttempts) {
        await this.db.query(`UPDATE ${table} SET status = 'failed', last_error = $2 WHERE id = $1`, [row.id, reason]);
        this.log.error({ ...about, reason }, `${noun} could not be delivered; giving up`);
        return null;
      }
      const delay = retryDelaySeconds(row.attempts, this.options.retryBaseSeconds);
      await this.db.query(`UPDATE ${table} SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1`, [row.id, delay, reason]);
      this.log.warn({ ...about, reason, retryInSeconds: delay }, `${noun} not delivered; will retry`);
      return delay;
    }
    const extra = this.definition.onDelivered ? `, ${this.definition.onDelivered}` : '';
    await this.db.query(`UPDATE ${table} SET status = 'sent', sent_at = now(), last_error = NULL${extra} WHERE id = $1`, [row.id]);
    this.log.debug(about, `${noun} delivered`);
    return null;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let waitMs = this.pollIntervalMs;
      await this.listen().catch((error: unknown) => this.log.warn({ err: error }, `cannot listen for queued ${this.definition.noun}s; polling instead`));
      try {
        this.woken = false;
        const { claimed, retryInMs } = await this.deliverDue();
        // A full batch means more may be due: go on at once.
        if (claimed === this.batchSize) continue;
        if (retryInMs !== null) waitMs = Math.min(waitMs, retryInMs);
        await this.prune();
      } catch (error) {
        this.log.warn({ err: error }, `could not look at ${this.definition.table}; trying again shortly`);
      }
      await this.sleep(waitMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wakeUp = done;
    });
  }

  /** Keeps a connection listening for the writers' notifications; polling alone still works when it cannot. */
  private async listen(): Promise<void> {
    if (this.listener) return;
    // A session of its own, straight to PostgreSQL: a transaction-mode pooler would hand the LISTEN to other clients.
    const url = sessionUrl(this.db);
    const { schema } = this.db.options as PostgresDataSourceOptions;
    if (!url || !schema) return;
    const client = new Client({ connectionString: url });
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'lost the notification connection; polling until it is back');
      if (this.listener === client) this.listener = null;
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.definition.channel(schema)}"`);
      this.listener = client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.db.query(`DELETE FROM ${this.definition.table} WHERE status <> 'pending' AND created_at < now() - make_interval(days => $1)`, [RETENTION_DAYS]);
  }
}
