// Charges each operation's cost to its caller's budget per minute: in this process, or shared by every replica through Redis.
import { HeaderMap } from '@apollo/server';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError, ErrorCode, logger } from '@orgapi/shared';

export interface CostPerMinute {
  /** Spends `cost` of the caller's budget for this minute; RATE_LIMITED (HTTP 429, Retry-After) when it is used up. */
  charge(caller: string, cost: number): Promise<void>;
  stop(): Promise<void>;
}

export interface CostPerMinuteOptions {
  /** The budget of one caller per minute. */
  points: number;
  /** Shares the budgets between gateway replicas; unset, each process counts on its own. */
  redisUrl?: string;
}

const WINDOW_SECONDS = 60;
const KEY_PREFIX = 'orgapi:cost-per-minute';
// A Redis that answers slowly must not hold every request: past this, the replica's own count decides.
const REDIS_COMMAND_TIMEOUT_MS = 500;

export function costPerMinute({ points, redisUrl }: CostPerMinuteOptions): CostPerMinute {
  const local = new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: KEY_PREFIX });
  if (!redisUrl) return budget(local, points, async () => {});

  // Fail open to each replica's own count rather than closed: a Redis outage should not take the API down with it,
  // and an abuser still meets the limit, per replica instead of across them, until Redis is back.
  const redis = new Redis(redisUrl, {
    // Commands fail at once while disconnected, so the replica's own count answers instead of a queue that waits.
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // Stopping waits this long for a socket that may never close (ioredis's 2 s default outlives a failed connection).
    disconnectTimeout: 200,
  });
  let reachable = true;
  redis.on('error', (error: Error) => {
    if (!reachable) return;
    reachable = false;
    logger.warn({ err: error }, 'Redis is unreachable: each gateway replica limits cost per minute on its own until it is back');
  });
  redis.on('ready', () => {
    if (reachable) return;
    reachable = true;
    logger.warn('Redis is reachable again: gateway replicas share cost-per-minute budgets again');
  });
  const shared = new RateLimiterRedis({
    storeClient: redis,
    points,
    duration: WINDOW_SECONDS,
    keyPrefix: KEY_PREFIX,
    rejectIfRedisNotReady: true,
    insuranceLimiter: local,
  });
  return budget(shared, points, async () => {
    redis.disconnect();
  });
}

function budget(limiter: RateLimiterAbstract, points: number, stop: () => Promise<void>): CostPerMinute {
  return {
    async charge(caller, cost) {
      try {
        await limiter.consume(caller, cost);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        throw rateLimited(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)), cost, points);
      }
    },
    stop,
  };
}

function rateLimited(retryAfterSeconds: number, cost: number, limit: number): AppError {
  const message =
    `You have used this minute's budget of ${limit.toLocaleString('en-US')} (this operation costs ${cost.toLocaleString('en-US')}). ` +
    `Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}, or ask for fewer items at a time.`;
  return new AppError(ErrorCode.RATE_LIMITED, message, {
    retryAfterSeconds,
    cost,
    limit,
    http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
  });
}
