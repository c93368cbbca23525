// The throttle's arithmetic: how long an attempt waits, and how long a blocked email or address stays refused.
import { attemptDelayMs, blockedForSeconds } from './login-throttle';

describe('the wait before a log-in attempt', () => {
  it('is nothing for someone who mistyped twice', () => {
    expect([0, 1, 2].map(attemptDelayMs)).toEqual([0, 0, 0]);
  });

  it('grows by a quarter second with each further failure', () => {
    expect([3, 4, 5].map(attemptDelayMs)).toEqual([250, 500, 750]);
  });

  it('never exceeds two seconds', () => {
    expect(attemptDelayMs(10)).toBe(2000);
    expect(attemptDelayMs(1000)).toBe(2000);
  });
});

describe('a block', () => {
  it('holds only once a counter reaches its limit', () => {
    expect(blockedForSeconds([[null, 5]])).toBeNull();
    expect(blockedForSeconds([[{ consumedPoints: 4, msBeforeNext: 60_000 }, 5]])).toBeNull();
    expect(blockedForSeconds([[{ consumedPoints: 5, msBeforeNext: 60_000 }, 5]])).toBe(60);
  });

  it('lasts until the last blocked counter lets go, in whole seconds', () => {
    const email = { consumedPoints: 5, msBeforeNext: 1_500 };
    const address = { consumedPoints: 50, msBeforeNext: 899_001 };
    expect(blockedForSeconds([[email, 5], [address, 50]])).toBe(900);
  });

  it('ignores a counter below its limit beside one that is blocked', () => {
    expect(blockedForSeconds([[{ consumedPoints: 1, msBeforeNext: 900_000 }, 5], [{ consumedPoints: 50, msBeforeNext: 10_000 }, 50]])).toBe(10);
  });
});
