// The scheduled sweep: writes the expiry entries of grants whose time has come (a read does it too, so a balance is
// never stale, but alerts and statements should not wait for someone to look), and forgets idempotency keys past
// their 24 hours. Safe on every replica at once: each organization's expiry runs under its account's lock.
import type { DataSource } from 'typeorm';
import { logger } from '@orgapi/shared';
import type { LedgerService } from './ledger.service';
import { IDEMPOTENCY_WINDOW_HOURS } from '../metering/metering.service';

/** Organizations expired per run, and stale keys deleted per statement: bounded work, however far behind. */
const ORGANIZATIONS_PER_RUN = 100;
const KEYS_PER_DELETE = 10_000;

export class BillingSweep {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly intervalSeconds: number,
  ) {}

  start(): void {
    if (this.intervalSeconds <= 0) return;
    this.timer = setInterval(() => void this.run(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** One pass; a pass still running is joined rather than doubled. */
  run(now = new Date()): Promise<void> {
    this.running ??= this.sweep(now).finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async sweep(now: Date): Promise<void> {
    try {
      for (const organizationId of await this.ledger.dueForExpiry(ORGANIZATIONS_PER_RUN, now)) await this.ledger.expire(organizationId, now);
      await this.db.query(
        `DELETE FROM usage_idempotency_keys WHERE ctid IN (
           SELECT ctid FROM usage_idempotency_keys WHERE created_at <= $1::timestamptz - make_interval(hours => $2) LIMIT $3)`,
        [now, IDEMPOTENCY_WINDOW_HOURS, KEYS_PER_DELETE],
      );
    } catch (error) {
      logger.error({ err: error }, 'billing sweep failed; the next run retries');
    }
  }
}
