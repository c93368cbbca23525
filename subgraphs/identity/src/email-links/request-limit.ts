// How often emailed links may be asked for, per address, client or user, across all replicas.
import type { DataSource } from 'typeorm';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, describeDuration, ErrorCode } from '@orgapi/shared';
import { limitStore } from '../sessions/login-throttle';

export interface RequestLimitRule {
  /** Names the counter in the store. */
  keyPrefix: string;
  /** Requests allowed per key within `durationSeconds`. */
  points: number;
  durationSeconds: number;
  /** What is being limited, for the error: "password reset emails for this address". */
  what: string;
}

export class RequestLimit {
  private readonly limiter: RateLimiterPostgres;

  constructor(db: DataSource, private readonly rule: RequestLimitRule) {
    this.limiter = new RateLimiterPostgres({ ...limitStore(db), keyPrefix: rule.keyPrefix, points: rule.points, duration: rule.durationSeconds });
  }

  /** Counts one request for `key`; RATE_LIMITED (with `retryAfterSeconds`) once the limit is reached. */
  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.ceil(error.msBeforeNext / 1000);
      throw new AppError(ErrorCode.RATE_LIMITED, `Too many ${this.rule.what} (at most ${this.rule.points} in ${describeDuration(this.rule.durationSeconds)}). Try again in ${Math.ceil(seconds / 60)} minute(s).`, {
        retryAfterSeconds: seconds,
      });
    }
  }
}
