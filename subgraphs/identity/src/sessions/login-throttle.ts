// Slows and then refuses repeated failed log-ins, per email and per client address, across all replicas.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { RateLimiterPostgres, type RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, ErrorCode, hashSecret } from '@orgapi/shared';

export interface LoginThrottleOptions {
  /** Failed attempts for one email before it is refused for `blockSeconds`. */
  maxFailuresPerEmail: number;
  /** Failed attempts from one client address, over any emails, before it is refused. */
  maxFailuresPerAddress: number;
  blockSeconds: number;
}

// Emails can be long and contain anything; the store's keys are short text.
export const emailKey = (email: string) => hashSecret(email).toString('base64url');

// After a few failures each further attempt waits a little longer (at most 2 s): guessing gets slow long before
// the block, while a person who mistyped twice notices nothing.
const FREE_FAILURES = 2;
const DELAY_STEP_MS = 250;
const MAX_DELAY_MS = 2000;

/** How long an attempt waits, given the failures already counted for its email. */
export function attemptDelayMs(failures: number): number {
  return failures > FREE_FAILURES ? Math.min(MAX_DELAY_MS, (failures - FREE_FAILURES) * DELAY_STEP_MS) : 0;
}

/** A counter as the store reports it, with the limit it is held to; null when it has counted nothing yet. */
export type Counter = [state: Pick<RateLimiterRes, 'consumedPoints' | 'msBeforeNext'> | null, limit: number];

/** Seconds until every counter that reached its limit lets go again; null when none has. */
export function blockedForSeconds(counters: Counter[]): number | null {
  const seconds = counters.flatMap(([state, limit]) => (state && state.consumedPoints >= limit ? [Math.ceil(state.msBeforeNext / 1000)] : []));
  return seconds.length > 0 ? Math.max(...seconds) : null;
}

/** Where rate-limiter-flexible keeps its counters: one table of this schema, each limit under its own key prefix. */
export const limitStore = (db: DataSource) => ({
  storeClient: (db.driver as PostgresDriver).master,
  tableName: 'login_limits',
  schemaName: 'identity',
  tableCreated: true,
});

export class LoginThrottle {
  private readonly byEmail: RateLimiterPostgres;
  private readonly byAddress: RateLimiterPostgres;

  constructor(db: DataSource, private readonly options: LoginThrottleOptions) {
    const store = limitStore(db);
    this.byEmail = new RateLimiterPostgres({ ...store, keyPrefix: 'email', points: options.maxFailuresPerEmail, duration: options.blockSeconds, blockDuration: options.blockSeconds });
    this.byAddress = new RateLimiterPostgres({ ...store, keyPrefix: 'ip', points: options.maxFailuresPerAddress, duration: 3600, blockDuration: options.blockSeconds });
  }

  /** Refuses with RATE_LIMITED while the email or address is blocked, and otherwise waits as long as earned. */
  async beforeAttempt(email: string, address: string | null): Promise<void> {
    const [emailState, addressState] = await Promise.all([this.byEmail.get(emailKey(email)), address ? this.byAddress.get(address) : null]);
    const seconds = blockedForSeconds([
      [emailState, this.options.maxFailuresPerEmail],
      [addressState, this.options.maxFailuresPerAddress],
    ]);
    if (seconds !== null) {
      throw new AppError(ErrorCode.RATE_LIMITED, `Too many failed sign-in attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).`, {
        retryAfterSeconds: seconds,
      });
    }
    const delay = attemptDelayMs(emailState?.consumedPoints ?? 0);
    if (delay > 0) await sleep(delay);
  }

  async failed(email: string, address: string | null): Promise<void> {
    await Promise.all([this.byEmail.penalty(emailKey(email), 1), address ? this.byAddress.penalty(address, 1) : null]);
  }

  /** A successful log-in clears the email's count (not the address's: one success must not unlock guessing). */
  async succeeded(email: string): Promise<void> {
    await this.byEmail.delete(emailKey(email));
  }
}
