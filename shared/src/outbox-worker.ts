// Delivers the outbox: claims due messages (FOR UPDATE SKIP LOCKED, so replicas share the work without sending
// one message twice), hands them to the transport, marks them sent, or retries with back-off until it gives up.
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import type { MailConfig } from './config';
import { logger } from './logger';
import { mailTransport, type MailTransport } from './mail-transport';
import { outboxChannel } from './outbox';

export interface OutboxWorkerOptions {
  /** Attempts per message, the first included, before it is marked failed. */
  maxAttempts: number;
  /** The wait after the first failure; each further failure doubles it, up to an hour. */
  retryBaseSeconds: number;
  /** How often the outbox is looked at without a notification: for retries, and notifications missed. */
  pollIntervalMs?: number;
  /** Messages claimed and sent at once. */
  batchSize?: number;
}

const MAX_RETRY_DELAY_SECONDS = 3600;
// A claimed message is not claimed again for this long, so a worker that died mid-send hands it on. It is far
// above the SMTP timeouts, so a slow send is never doubled by another worker.
const LEASE_SECONDS = 300;
// Delivered and failed rows are kept this long for operators, then deleted.
const RETENTION_DAYS = 30;
const PRUNE_EVERY_MS = 3600_000;

/** Seconds to wait before the next attempt after `failures` failed ones: exponential, capped at an hour. */
export function retryDelaySeconds(failures: number, baseSeconds: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, baseSeconds * 2 ** Math.max(0, failures - 1));
}

interface ClaimedRow {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  attempts: number;
}

// Counting the attempt when claiming means a worker that dies mid-send still uses one up: a message that crashes
// its sender cannot loop forever.
// (The UPDATE sits in a WITH so that TypeORM hands back its rows rather than an [rows, count] pair.)
const CLAIM = `
  WITH claimed AS (
    UPDATE outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
     WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()
                   ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
    RETURNING id, kind, recipient, subject, text_body, html_body, attempts
  ) SELECT * FROM claimed`;

/** Why a send failed, for the outbox row and the log: the server's answer, never the message. */
const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

/**
 * One per subgraph process that sends email: `start()` at setup, `await stop()` at shutdown (it finishes the
 * messages in hand). Delivery is at least once: a worker that dies after the server accepted a message but before
 * it was marked sent leaves it to be sent again when its lease runs out.
 */
export class OutboxWorker {
  private readonly log = logger.child({ component: 'outbox' });
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private running = false;
  private loop: Promise<void> | null = null;
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private listener: Client | null = null;
  private lastPrune = 0;

  constructor(
    private readonly db: DataSource,
    private readonly transport: MailTransport,
    private readonly options: OutboxWorkerOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.batchSize = options.batchSize ?? 10;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.log.info({ transport: this.transport.description }, 'delivering queued email');
    this.loop = this.run();
  }

  /** Stops looking for work and waits for the messages being sent now. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  /** Looks at the outbox now rather than at the next poll (a notification, or a test). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Claims and sends one batch of due messages; how many it claimed, and when the soonest retry among them is due. */
  async deliverDue(): Promise<{ claimed: number; retryInMs: number | null }> {
    const rows: ClaimedRow[] = await this.db.query(CLAIM, [this.batchSize, LEASE_SECONDS]);
    const retries = await Promise.all(rows.map((row) => this.deliver(row)));
    const delays = retries.filter((delay): delay is number => delay !== null);
    return { claimed: rows.length, retryInMs: delays.length > 0 ? Math.min(...delays) * 1000 : null };
  }

  /** Sends one claimed message; the seconds until its retry, or null when it is done (sent, or given up on). */
  private async deliver(row: ClaimedRow): Promise<number | null> {
    const about = { outboxId: row.id, kind: row.kind, attempt: row.attempts };
    try {
      await this.transport.send({ id: row.id, to: row.recipient, subject: row.subject, text: row.text_body, html: row.html_body });
    } catch (error) {
      const reason = reasonOf(error);
      // A permanent refusal (an SMTP 5xx: no such mailbox, rejected sender) will not change by retrying.
      const permanent = (error as { permanent?: unknown }).permanent === true;
      if (permanent || row.attempts >= this.options.maxAttempts) {
        await this.db.query(`UPDATE outbox SET status = 'failed', last_error = $2 WHERE id = $1`, [row.id, reason]);
        this.log.error({ ...about, reason }, 'email could not be delivered; giving up');
        return null;
      }
      const delay = retryDelaySeconds(row.attempts, this.options.retryBaseSeconds);
      await this.db.query(`UPDATE outbox SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1`, [row.id, delay, reason]);
      this.log.warn({ ...about, reason, retryInSeconds: delay }, 'email not delivered; will retry');
      return delay;
    }
    // The link in a delivered email is a credential: once it is in the reader's mailbox the database need not keep it.
    await this.db.query(`UPDATE outbox SET status = 'sent', sent_at = now(), text_body = NULL, html_body = NULL, last_error = NULL WHERE id = $1`, [row.id]);
    this.log.debug(about, 'email delivered');
    return null;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let waitMs = this.pollIntervalMs;
      await this.listen().catch((error: unknown) => this.log.warn({ err: error }, 'cannot listen for queued email; polling instead'));
      try {
        this.woken = false;
        const { claimed, retryInMs } = await this.deliverDue();
        // A full batch means more may be due: go on at once.
        if (claimed === this.batchSize) continue;
        if (retryInMs !== null) waitMs = Math.min(waitMs, retryInMs);
        await this.prune();
      } catch (error) {
        this.log.warn({ err: error }, 'could not look at the outbox; trying again shortly');
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

  /** Keeps a connection listening for queueEmail's notifications; polling alone still works when it cannot. */
  private async listen(): Promise<void> {
    if (this.listener) return;
    const { url, schema } = this.db.options as PostgresDataSourceOptions;
    if (!url || !schema) return;
    const client = new Client({ connectionString: url });
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'lost the outbox notification connection; polling until it is back');
      if (this.listener === client) this.listener = null;
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${outboxChannel(schema)}"`);
      this.listener = client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.db.query(`DELETE FROM outbox WHERE status <> 'pending' AND created_at < now() - make_interval(days => $1)`, [RETENTION_DAYS]);
  }
}

/** The worker a subgraph runs, sending through SMTP_URL or into the log, already started. */
export function startOutboxWorker(db: DataSource, config: MailConfig): OutboxWorker {
  const worker = new OutboxWorker(db, mailTransport(config), { maxAttempts: config.MAIL_MAX_ATTEMPTS, retryBaseSeconds: config.MAIL_RETRY_BASE_SECONDS });
  worker.start();
  return worker;
}
