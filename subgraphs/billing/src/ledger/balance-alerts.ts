// When a balance raises an alert: crossing the low-balance threshold, reaching zero and coming back, once each
// (Orb's credit_balance_dropped, credit_balance_depleted and credit_balance_recovered).
export type AlertState = 'OK' | 'LOW' | 'DEPLETED';
export type AlertKind = 'BALANCE_DROPPED' | 'BALANCE_DEPLETED' | 'BALANCE_RECOVERED';

const SEVERITY: Record<AlertState, number> = { OK: 0, LOW: 1, DEPLETED: 2 };

/** Nothing left (or less, in an overdraft) is DEPLETED; under the threshold, if one is set, is LOW. */
export function alertStateOf(balance: number, threshold: number | null): AlertState {
  if (balance <= 0) return 'DEPLETED';
  if (threshold !== null && balance < threshold) return 'LOW';
  return 'OK';
}

/**
 * The alert a change of state raises, or null when the state did not change: one alert per crossing, however many
 * debits it took, so a balance hovering under the threshold does not flood the owners' inboxes.
 */
export function alertFor(previous: AlertState, next: AlertState): AlertKind | null {
  if (SEVERITY[next] === SEVERITY[previous]) return null;
  if (SEVERITY[next] < SEVERITY[previous]) return 'BALANCE_RECOVERED';
  return next === 'DEPLETED' ? 'BALANCE_DEPLETED' : 'BALANCE_DROPPED';
}
