// Reads billing accounts, grants, ledger entries, draws, alerts and statements: one statement per batch.
import { groupLoader, loaderFamily, rowLoader, type PageRequest, type Queryable } from '@orgapi/shared';
import type { AlertKind, AlertState } from './balance-alerts';
import type { CreditGrantRow } from './ledger.service';
import type { LedgerEntryKind } from './locked-account';
import type { GrantCategory } from './spending-order';

export interface AccountRow {
  organizationId: string;
  balance: number;
  granted: number;
  used: number;
  expired: number;
  adjusted: number;
  overdraftLimit: number;
  lowBalanceThreshold: number | null;
  alertState: AlertState;
}

export interface LedgerEntryRow {
  id: string;
  organizationId: string;
  sequence: number;
  kind: LedgerEntryKind;
  amount: number;
  balanceAfter: number;
  grantId: string | null;
  usageEventId: string | null;
  projectId: string | null;
  environmentId: string | null;
  actorType: 'USER' | 'API_KEY' | 'SYSTEM';
  actorId: string | null;
  reference: string | null;
  description: string;
  createdAt: Date;
}

export interface AlertRow {
  id: string;
  organizationId: string;
  kind: AlertKind;
  balance: number;
  threshold: number | null;
  createdAt: Date;
}

export interface MonthTotals {
  month: string;
  kind: LedgerEntryKind;
  amount: number;
}

export interface LedgerFilter {
  kinds: LedgerEntryKind[] | null;
  from: Date | null;
  to: Date | null;
}

const num = (value: unknown) => Number(value);
const nullableNum = (value: unknown) => (value === null ? null : Number(value));

const toGrant = (row: Record<string, unknown>): CreditGrantRow => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  amount: num(row.amount),
  remaining: num(row.remaining),
  category: row.category as GrantCategory,
  priority: row.priority as number,
  expiresAt: row.expires_at as Date | null,
  grantedAt: row.granted_at as Date,
  voidedAt: row.voided_at as Date | null,
  reference: row.reference as string | null,
  description: row.description as string,
});

const toEntry = (row: Record<string, unknown>): LedgerEntryRow => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  sequence: num(row.sequence),
  kind: row.kind as LedgerEntryKind,
  amount: num(row.amount),
  balanceAfter: num(row.balance_after),
  grantId: row.grant_id as string | null,
  usageEventId: row.usage_event_id as string | null,
  projectId: row.project_id as string | null,
  environmentId: row.environment_id as string | null,
  actorType: row.actor_type as LedgerEntryRow['actorType'],
  actorId: row.actor_id as string | null,
  reference: row.reference as string | null,
  description: row.description as string,
  createdAt: row.created_at as Date,
});

/**
 * `expire` writes the expiry entries of organizations whose grants are past due before their accounts are read, so
 * a balance is never stale between two runs of the sweep. It also turns off kept reads for the rest of the request
 * (context.ts): what it just wrote may not have been heard yet.
 */
export function ledgerLoaders(db: Queryable, expire: (organizationId: string) => Promise<void>) {
  const readAccounts = async (organizationIds: readonly string[]): Promise<(AccountRow & { due: boolean })[]> => {
    const now = Date.now();
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT organization_id, balance, granted, used, expired, adjusted, overdraft_limit, low_balance_threshold, alert_state, next_expiry_at
         FROM billing_accounts WHERE organization_id = ANY($1)`,
      [organizationIds],
    );
    return rows.map((row) => ({
      organizationId: row.organization_id as string,
      balance: num(row.balance),
      granted: num(row.granted),
      used: num(row.used),
      expired: num(row.expired),
      adjusted: num(row.adjusted),
      overdraftLimit: num(row.overdraft_limit),
      lowBalanceThreshold: nullableNum(row.low_balance_threshold),
      alertState: row.alert_state as AlertState,
      // Compared here, not in SQL: a read that asks the clock could not be kept between requests.
      due: row.next_expiry_at !== null && (row.next_expiry_at as Date).getTime() <= now,
    }));
  };

  return {
    /** An organization's account; null before anything was ever granted or recorded for it. */
    account: rowLoader<string, AccountRow>(
      async (organizationIds) => {
        const accounts = await readAccounts(organizationIds);
        const due = accounts.filter((account) => account.due).map((account) => account.organizationId);
        if (due.length === 0) return accounts;
        for (const organizationId of due) await expire(organizationId);
        const expired = await readAccounts(due);
        return [...accounts.filter((account) => !account.due), ...expired];
      },
      (account) => account.organizationId,
    ),

    /** Grants with credits left (or all, with `includeInactive`), in spending order's first key: newest first by ID. */
    grants: loaderFamily(({ page, includeInactive }: { page: PageRequest; includeInactive: boolean }) =>
      groupLoader<string, CreditGrantRow>(
        async (organizationIds) => {
          const rows: Record<string, unknown>[] = await db.query(
            `SELECT * FROM (
               SELECT id, organization_id, amount, remaining, category, priority, expires_at, granted_at, voided_at, reference, description,
                      row_number() OVER (PARTITION BY organization_id ORDER BY id) AS page_row
                 FROM credit_grants
                WHERE organization_id = ANY($1) AND ($2::text IS NULL OR id > $2) AND ($4 OR remaining > 0)
             ) page WHERE page_row <= $3 ORDER BY id`,
            [organizationIds, page.after, page.first + 1, includeInactive],
          );
          return rows.map(toGrant);
        },
        (grant) => grant.organizationId,
      ),
    ),

    grantCount: loaderFamily(({ includeInactive }: { includeInactive: boolean }) =>
      rowLoader<string, { organizationId: string; count: number }>(
        async (organizationIds) => {
          const rows: { organization_id: string; count: number }[] = await db.query(
            `SELECT organization_id, count(*)::int AS count FROM credit_grants WHERE organization_id = ANY($1) AND ($2 OR remaining > 0) GROUP BY organization_id`,
            [organizationIds, includeInactive],
          );
          return rows.map((row) => ({ organizationId: row.organization_id, count: row.count }));
        },
        (row) => row.organizationId,
      ),
    ),

    /**
     * A page of the ledger, newest first (by sequence, the order entries changed the balance). The cursor is an entry's
     * ID; the page continues below that entry's sequence.
     */
    entries: loaderFamily(
      ({ page, filter }: { page: PageRequest; filter: LedgerFilter }) =>
        groupLoader<string, LedgerEntryRow>(
          async (organizationIds) => {
            const rows: Record<string, unknown>[] = await db.query(
              `SELECT * FROM (
                 SELECT e.id, e.organization_id, e.sequence, e.kind, e.amount, e.balance_after, e.grant_id, e.usage_event_id, e.project_id,
                        e.environment_id, e.actor_type, e.actor_id, e.reference, e.description, e.created_at,
                        row_number() OVER (PARTITION BY e.organization_id ORDER BY e.sequence DESC) AS page_row
                   FROM ledger_entries e
                  WHERE e.organization_id = ANY($1)
                    AND ($2::text IS NULL OR e.sequence < (SELECT c.sequence FROM ledger_entries c WHERE c.id = $2 AND c.organization_id = e.organization_id))
                    AND ($4::text[] IS NULL OR e.kind = ANY($4)) AND ($5::timestamptz IS NULL OR e.created_at >= $5) AND ($6::timestamptz IS NULL OR e.created_at < $6)
               ) page WHERE page_row <= $3 ORDER BY sequence DESC`,
              [organizationIds, page.after, page.first + 1, filter.kinds, filter.from, filter.to],
            );
            return rows.map(toEntry);
          },
          (entry) => entry.organizationId,
        ),
      ({ page, filter }) => JSON.stringify([page, filter.kinds, filter.from?.toISOString() ?? null, filter.to?.toISOString() ?? null]),
    ),

    entryCount: loaderFamily(
      (filter: LedgerFilter) =>
        rowLoader<string, { organizationId: string; count: number }>(
          async (organizationIds) => {
            const rows: { organization_id: string; count: number }[] = await db.query(
              `SELECT organization_id, count(*)::int AS count FROM ledger_entries
                WHERE organization_id = ANY($1) AND ($2::text[] IS NULL OR kind = ANY($2))
                  AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4)
                GROUP BY organization_id`,
              [organizationIds, filter.kinds, filter.from, filter.to],
            );
            return rows.map((row) => ({ organizationId: row.organization_id, count: row.count }));
          },
          (row) => row.organizationId,
        ),
      (filter) => JSON.stringify([filter.kinds, filter.from?.toISOString() ?? null, filter.to?.toISOString() ?? null]),
    ),

    /** Which grants each usage debit drew from. */
    draws: groupLoader<string, { entryId: string; grantId: string; amount: number }>(
      async (entryIds) => {
        const rows: { ledger_entry_id: string; grant_id: string; amount: string }[] = await db.query(
          'SELECT ledger_entry_id, grant_id, amount FROM ledger_draws WHERE ledger_entry_id = ANY($1) ORDER BY ledger_entry_id, grant_id',
          [entryIds],
        );
        return rows.map((row) => ({ entryId: row.ledger_entry_id, grantId: row.grant_id, amount: num(row.amount) }));
      },
      (draw) => draw.entryId,
    ),

    /** A page of alerts, newest first (IDs sort by time; the cursor is the last alert's ID). */
    alerts: loaderFamily((page: PageRequest) =>
      groupLoader<string, AlertRow>(
        async (organizationIds) => {
          const rows: Record<string, unknown>[] = await db.query(
            `SELECT * FROM (
               SELECT id, organization_id, kind, balance, threshold, created_at,
                      row_number() OVER (PARTITION BY organization_id ORDER BY id DESC) AS page_row
                 FROM billing_alerts WHERE organization_id = ANY($1) AND ($2::text IS NULL OR id < $2)
             ) page WHERE page_row <= $3 ORDER BY id DESC`,
            [organizationIds, page.after, page.first + 1],
          );
          return rows.map((row) => ({
            id: row.id as string,
            organizationId: row.organization_id as string,
            kind: row.kind as AlertKind,
            balance: num(row.balance),
            threshold: nullableNum(row.threshold),
            createdAt: row.created_at as Date,
          }));
        },
        (alert) => alert.organizationId,
      ),
    ),

    alertCount: rowLoader<string, { organizationId: string; count: number }>(
      async (organizationIds) => {
        const rows: { organization_id: string; count: number }[] = await db.query(
          'SELECT organization_id, count(*)::int AS count FROM billing_alerts WHERE organization_id = ANY($1) GROUP BY organization_id',
          [organizationIds],
        );
        return rows.map((row) => ({ organizationId: row.organization_id, count: row.count }));
      },
      (row) => row.organizationId,
    ),

    /**
     * A year of the ledger by month and kind, and the balance when the year began (the sum of every entry before it:
     * a sum, not the last entry's balance, so entries stamped out of order at a boundary still reconcile).
     */
    statementTotals: loaderFamily((year: number) =>
      rowLoader<string, { organizationId: string; opening: number; firstEntryAt: Date | null; months: MonthTotals[] }>(
        async (organizationIds) => {
          const start = new Date(Date.UTC(year, 0, 1));
          const end = new Date(Date.UTC(year + 1, 0, 1));
          const rows: { organization_id: string; month: string | null; kind: LedgerEntryKind | null; amount: string; first_at: Date | null }[] = await db.query(
            `SELECT organization_id, NULL AS month, NULL AS kind, sum(amount)::text AS amount, min(created_at) AS first_at
               FROM ledger_entries WHERE organization_id = ANY($1) AND created_at < $2 GROUP BY organization_id
             UNION ALL
             SELECT organization_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), kind, sum(amount)::text, min(created_at)
               FROM ledger_entries WHERE organization_id = ANY($1) AND created_at >= $2 AND created_at < $3
              GROUP BY organization_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), kind`,
            [organizationIds, start, end],
          );
          const byOrganization = new Map<string, { organizationId: string; opening: number; firstEntryAt: Date | null; months: MonthTotals[] }>();
          for (const row of rows) {
            let totals = byOrganization.get(row.organization_id);
            if (!totals) byOrganization.set(row.organization_id, (totals = { organizationId: row.organization_id, opening: 0, firstEntryAt: null, months: [] }));
            if (row.first_at && (!totals.firstEntryAt || row.first_at < totals.firstEntryAt)) totals.firstEntryAt = row.first_at;
            if (row.month === null) totals.opening = num(row.amount);
            else totals.months.push({ month: row.month, kind: row.kind!, amount: num(row.amount) });
          }
          return [...byOrganization.values()];
        },
        (totals) => totals.organizationId,
      ),
    ),
  };
}

export type LedgerLoaders = ReturnType<typeof ledgerLoaders>;
