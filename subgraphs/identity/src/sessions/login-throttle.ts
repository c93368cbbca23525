// Slows and then refuses repeated failed log-ins, per email and per client address, across all replicas.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, ErrorCode, hashSecret } from '@orgapi/shared';

export interface LoginThrottleOptions {
  /** Failed attempts for one email before it is refused for `blockSeconds`. */
  maxFailuresPerEmail: number;
  /** Failed attempts from one client address, over any emails, before it is refused. */
  maxFailuresPerAddress: number;
  blockSeconds: number;
}

// Emails can be long and contain anything; the store's keys are short text.
const emailKey = (email: string) => hashSecret(email).toString('base64url');

// After a few failures each further attempt waits a little longer (at most 2 s): guessing gets slow long before
// the block, while a person who mistyped twice notices nothing.
const FREE_FAILURES = 2;
const DELAY_STEP_MS = 250;
const MAX_DELAY_MS = 2000;

export class LoginThrottle {
  private readonly byEmail: RateLimiterPostgres;
  private readonly byAddress: RateLimiterPostgres;

  constructor(db: DataSource, private readonly options: LoginThrottleOptions) {
    const store = { storeClient: (db.driver as PostgresDriver).master, tableName: 'login_limits', schemaName: 'identity', tableCreated: true };
    this.byEmail = new RateLimiterPostgres({ ...store, keyPrefix: 'email', points: options.maxFailuresPerEmail, duration: options.blockSeconds, blockDuration: options.blockSeconds });
    this.byAddress = new RateLimiterPostgres({ ...store, keyPrefix: 'ip', points: options.maxFailuresPerAddress, duration: 3600, blockDuration: options.blockSeconds });
  }

  /** Refuses with RATE_LIMITED while the email or address is blocked, and otherwise waits as long as earned. */
  async beforeAttempt(email: string, address: string | null): Promise<void> {
    const [emailState, addressState] = await Promise.all([this.byEmail.get(emailKey(email)), address ? this.byAddress.get(address) : null]);
    const blocked = [
      [emailState, this.options.maxFailuresPerEmail],
      [addressState, this.options.maxFailuresPerAddress],
    ].filter(([state, max]) => state && (state as RateLimiterRes).consumedPoints >= (max as number)) as [RateLimiterRes, number][];
    if (blocked.length > 0) {
      const seconds = Math.max(...blocked.map(([state]) => Math.ceil(state.msBeforeNext / 1000)));
      throw new AppError(ErrorCode.RATE_LIMITED, `Too many failed sign-in attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).`, {
        retryAfterSeconds: seconds,
      });
    }
    const failures = emailState?.consumedPoints ?? 0;
    if (failures > FREE_FAILURES) await sleep(Math.min(MAX_DELAY_MS, (failures - FREE_FAILURES) * DELAY_STEP_MS));
  }

  async failed(email: string, address: string | null): Promise<void> {
    await Promise.all([this.byEmail.penalty(emailKey(email), 1), address ? this.byAddress.penalty(address, 1) : null]);
  }

  /** A successful log-in clears the email's count (not the address's: one success must not unlock guessing). */
  async succeeded(email: string): Promise<void> {
    await this.byEmail.delete(emailKey(email));
  }
}
