// Monthly statements from the ledger's totals: each month opens with the last one's closing balance, so a year of
// statements reconciles with the ledger by construction, and a gap in usage shows as a month of zeros.
import { badInput } from '@orgapi/shared';
import type { LedgerEntryKind } from './locked-account';

export interface MonthTotal {
  month: string;
  kind: LedgerEntryKind;
  amount: number;
}

export interface Statement {
  month: string;
  periodStart: Date;
  periodEnd: Date;
  openingBalance: number;
  granted: number;
  used: number;
  expired: number;
  adjusted: number;
  closingBalance: number;
}

/** The first year statements cover: nothing can have been billed before it. */
export const FIRST_STATEMENT_YEAR = 2000;

/**
 * One statement for each month of `year` from the month of the account's first entry to the current month (UTC);
 * none for a year before the first entry or after now.
 */
export function monthlyStatements(year: number, now: Date, totals: { opening: number; firstEntryAt: Date | null; months: MonthTotal[] }): Statement[] {
  if (!Number.isInteger(year) || year < FIRST_STATEMENT_YEAR || year > now.getUTCFullYear()) {
    throw badInput(`\`year\` must be a year from ${FIRST_STATEMENT_YEAR} to ${now.getUTCFullYear()}.`, 'year');
  }
  if (!totals.firstEntryAt) return [];
  const first = totals.firstEntryAt.getUTCFullYear() < year ? 0 : totals.firstEntryAt.getUTCMonth();
  if (totals.firstEntryAt.getUTCFullYear() > year) return [];
  const last = year < now.getUTCFullYear() ? 11 : now.getUTCMonth();
  const statements: Statement[] = [];
  let balance = totals.opening;
  for (let month = first; month <= last; month++) {
    const name = `${year}-${String(month + 1).padStart(2, '0')}`;
    const sum = (...kinds: LedgerEntryKind[]) =>
      totals.months.filter((total) => total.month === name && kinds.includes(total.kind)).reduce((acc, total) => acc + total.amount, 0);
    const granted = sum('GRANT');
    const used = 0 - sum('USAGE'); // 0 - x, not -x: no -0 for a month without usage
    const expired = 0 - sum('EXPIRY');
    const adjusted = sum('ADJUSTMENT', 'REVERSAL');
    const closing = balance + granted + adjusted - used - expired;
    statements.push({
      month: name,
      periodStart: new Date(Date.UTC(year, month, 1)),
      periodEnd: new Date(Date.UTC(year, month + 1, 1)),
      openingBalance: balance,
      granted,
      used,
      expired,
      adjusted,
      closingBalance: closing,
    });
    balance = closing;
  }
  return statements;
}
