// When `npm start` restarts a crashed service: after a back-off that doubles with each recent crash, until it gives up.

export interface RestartPolicy {
  /** The wait before the first restart. Default 1 s: long enough not to spin, short enough to go unnoticed. */
  firstDelayMs: number;
  /** The longest wait between restarts. Default 30 s. */
  maxDelayMs: number;
  /** The window crashes are counted in; a service that stays up this long starts again from the first delay. Default 60 s. */
  windowMs: number;
  /** How many crashes within the window are restarted; one more and the launcher gives up. Default 5. */
  maxCrashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 30_000, windowMs: 60_000, maxCrashes: 5 };

export type RestartDecision =
  /** Restart after `delayMs`; `recent` counts the crashes within the window, this one included. */
  | { restart: true; delayMs: number; recent: number }
  /** Too many crashes within the window: a restart would only crash again. */
  | { restart: false; recent: number };

/** What to do after a service crashed at `now`, given the times of all its crashes so far, this one included. */
export function afterCrash(crashTimes: readonly number[], now: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): RestartDecision {
  const recent = crashTimes.filter((at) => now - at < policy.windowMs).length;
  if (recent > policy.maxCrashes) return { restart: false, recent };
  return { restart: true, delayMs: Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (recent - 1)), recent };
}
