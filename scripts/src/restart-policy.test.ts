// The launcher's restart policy: back-off that doubles with each recent crash, and a limit after which it gives up.
import { afterCrash, type RestartPolicy } from './restart-policy';

const policy: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 8_000, windowMs: 60_000, maxCrashes: 5 };

describe('restarting a crashed service', () => {
  it('waits a second after a first crash', () => {
    expect(afterCrash([10_000], 10_000, policy)).toEqual({ restart: true, delayMs: 1_000, recent: 1 });
  });

  it('doubles the wait with each crash within the window, up to the longest wait', () => {
    const times = [0, 2_000, 5_000, 10_000, 20_000];
    const delays = times.map((now, i) => afterCrash(times.slice(0, i + 1), now, policy));
    expect(delays.map((decision) => decision.restart && decision.delayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it('gives up after too many crashes within the window', () => {
    const times = [0, 1_000, 2_000, 3_000, 4_000, 5_000];
    expect(afterCrash(times, 5_000, policy)).toEqual({ restart: false, recent: 6 });
  });

  it('starts afresh for a service that stayed up longer than the window', () => {
    const times = [0, 1_000, 2_000, 3_000, 4_000, 200_000];
    expect(afterCrash(times, 200_000, policy)).toEqual({ restart: true, delayMs: 1_000, recent: 1 });
  });
});
