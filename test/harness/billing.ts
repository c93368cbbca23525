// Billing through the API, as its users reach it: a platform operator granting credits, secret keys recording usage,
// and the reconciliation every test that writes ends with (ledger sum = balance = statements = rollups).
import { expectOk } from './expect';
import { logIn, signUpAs, type SignedInUser } from './accounts';
import { PLATFORM_OPERATOR_EMAIL, type TestGraph } from './graph';

export const GRANT = `mutation($input: GrantCreditsInput!) {
  grantCredits(input: $input) { id amount remaining category priority expiresAt grantedAt voidedAt reference description }
}`;
export const RECORD = `mutation($input: RecordUsageInput!) {
  recordUsage(input: $input) { replayed event { id meter quantity amount mode idempotencyKey occurredAt recordedAt metadata project { id } environment { id } } }
}`;
export const RECORD_BATCH = `mutation($input: RecordUsageBatchInput!) {
  recordUsageBatch(input: $input) { recorded replayed results { replayed event { id meter quantity amount mode idempotencyKey } } }
}`;

/** The platform operator of a test graph (PLATFORM_OPERATOR_EMAIL, verified), signed in; one per graph. */
export async function signUpPlatformOperator(graph: TestGraph): Promise<SignedInUser> {
  const user = await signUpAs(graph, PLATFORM_OPERATOR_EMAIL);
  await graph.subgraphs.identity.db.query('UPDATE users SET email_verified_at = now() WHERE id = $1', [user.id]);
  // A new session, so every service learns the address is verified now rather than after CREDENTIAL_CACHE_SECONDS.
  return logIn(graph, user);
}

export interface GrantTerms {
  organizationId: string;
  amount: number;
  category?: 'PURCHASED' | 'PROMOTIONAL' | 'ADJUSTMENT';
  priority?: number;
  expiresAt?: string;
  reference?: string;
}

export async function grantThroughApi(graph: TestGraph, operator: { token: string }, terms: GrantTerms): Promise<{ id: string; remaining: number }> {
  const input = { category: 'PURCHASED', ...terms };
  return expectOk(await graph.request<{ grantCredits: { id: string; remaining: number } }>(GRANT, { input }, operator.token)).grantCredits;
}

/** A new secret (or publishable) key of the environment, created by someone with `keys:manage`. */
export async function createKey(graph: TestGraph, as: { token: string }, environmentId: string, kind: 'SECRET' | 'PUBLISHABLE' = 'SECRET'): Promise<string> {
  const data = expectOk(
    await graph.request<{ createApiKey: { secret: string } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { environmentId, kind, name: `${kind.toLowerCase()} key` } },
      as.token,
    ),
  );
  return data.createApiKey.secret;
}

export interface Reconciliation {
  balance: number;
  ledgerSum: number;
  lastBalanceAfter: number;
  grantsRemaining: number;
  usedByLedger: number;
  usedByRollups: number;
  usedByHourlyRollups: number;
  /** The organization's own totals, per day and per hour. */
  usedByDailyTotals: number;
  /** The organization's rollups per project, and per meter and mode (its report's breakdowns), daily and hourly. */
  usedByProjectTotals: { daily: number; hourly: number };
  usedByMeterTotals: { daily: number; hourly: number };
  usedByHourlyTotals: number;
  usedByEvents: number;
}

/**
 * Every way billing counts one organization's credits, read from its tables: the stored balance, the ledger's sum and
 * last entry, what the grants have left, and LIVE usage as the ledger, the daily rollups and the raw events count it.
 */
export async function reconcile(graph: TestGraph, organizationId: string): Promise<Reconciliation> {
  const db = graph.subgraphs.billing.db;
  const [row] = await db.query(
    `SELECT (SELECT coalesce(balance, 0) FROM billing_accounts WHERE organization_id = $1)::float8 AS balance,
            (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE organization_id = $1)::float8 AS ledger_sum,
            (SELECT balance_after FROM ledger_entries WHERE organization_id = $1 ORDER BY sequence DESC LIMIT 1)::float8 AS last_balance_after,
            (SELECT coalesce(sum(remaining), 0) FROM credit_grants WHERE organization_id = $1)::float8 AS grants_remaining,
            (SELECT coalesce(-sum(amount), 0) FROM ledger_entries WHERE organization_id = $1 AND kind = 'USAGE')::float8 AS used_by_ledger,
            (SELECT coalesce(sum(amount), 0) FROM usage_daily WHERE organization_id = $1)::float8 AS used_by_rollups,
            (SELECT coalesce(sum(amount), 0) FROM usage_hourly WHERE organization_id = $1)::float8 AS used_by_hourly_rollups,
            (SELECT coalesce(sum(amount), 0) FROM usage_totals WHERE key = $1 AND NOT hourly)::float8 AS used_by_daily_totals,
            (SELECT coalesce(sum(amount), 0) FROM usage_totals WHERE key = $1 AND hourly)::float8 AS used_by_hourly_totals,
            (SELECT coalesce(sum(amount), 0) FROM usage_project_totals WHERE organization_id = $1 AND NOT hourly)::float8 AS used_by_daily_project_totals,
            (SELECT coalesce(sum(amount), 0) FROM usage_project_totals WHERE organization_id = $1 AND hourly)::float8 AS used_by_hourly_project_totals,
            (SELECT coalesce(sum(amount), 0) FROM usage_meter_totals WHERE organization_id = $1 AND NOT hourly)::float8 AS used_by_daily_meter_totals,
            (SELECT coalesce(sum(amount), 0) FROM usage_meter_totals WHERE organization_id = $1 AND hourly)::float8 AS used_by_hourly_meter_totals,
            (SELECT coalesce(sum(amount), 0) FROM usage_events WHERE organization_id = $1)::float8 AS used_by_events`,
    [organizationId],
  );
  return {
    balance: row.balance ?? 0,
    ledgerSum: row.ledger_sum,
    lastBalanceAfter: row.last_balance_after ?? 0,
    grantsRemaining: row.grants_remaining,
    usedByLedger: row.used_by_ledger,
    usedByRollups: row.used_by_rollups,
    usedByHourlyRollups: row.used_by_hourly_rollups,
    usedByDailyTotals: row.used_by_daily_totals,
    usedByHourlyTotals: row.used_by_hourly_totals,
    usedByProjectTotals: { daily: row.used_by_daily_project_totals, hourly: row.used_by_hourly_project_totals },
    usedByMeterTotals: { daily: row.used_by_daily_meter_totals, hourly: row.used_by_hourly_meter_totals },
    usedByEvents: row.used_by_events,
  };
}

const STATEMENTS = `query($id: ID!, $year: Int!) {
  organization(id: $id) { billing { balance { available } statements(year: $year) { month openingBalance granted used expired adjusted closingBalance } } }
}`;

interface Statement {
  month: string;
  openingBalance: number;
  granted: number;
  used: number;
  expired: number;
  adjusted: number;
  closingBalance: number;
}

/**
 * Asserts that every count of the organization's credits agrees: the stored balance, the ledger's sum and last entry,
 * what the grants have left (exactly the positive part of the balance), LIVE usage in the ledger, the daily and
 * hourly rollups and the raw events, and, read through the API by `viewer` (who holds billing:read), this year's
 * statements: each month adds up, opens where the last closed, and the last closes at the balance.
 */
export async function expectReconciled(graph: TestGraph, organizationId: string, viewer?: { token: string }): Promise<Reconciliation> {
  const counts = await reconcile(graph, organizationId);
  expect(counts.ledgerSum).toBe(counts.balance);
  expect(counts.lastBalanceAfter).toBe(counts.balance);
  expect(counts.grantsRemaining).toBe(Math.max(0, counts.balance));
  expect(counts.usedByRollups).toBe(counts.usedByLedger);
  expect(counts.usedByHourlyRollups).toBe(counts.usedByLedger);
  expect(counts.usedByDailyTotals).toBe(counts.usedByLedger);
  expect(counts.usedByHourlyTotals).toBe(counts.usedByLedger);
  expect(counts.usedByProjectTotals).toEqual({ daily: counts.usedByLedger, hourly: counts.usedByLedger });
  expect(counts.usedByMeterTotals).toEqual({ daily: counts.usedByLedger, hourly: counts.usedByLedger });
  expect(counts.usedByEvents).toBe(counts.usedByLedger);
  if (viewer) {
    const year = new Date().getUTCFullYear();
    const { balance, statements } = expectOk(
      await graph.request<{ organization: { billing: { balance: { available: number }; statements: Statement[] } } }>(STATEMENTS, { id: organizationId, year }, viewer.token),
    ).organization.billing;
    expect(balance.available).toBe(counts.balance);
    statements.forEach((statement, i) => {
      expect(statement.closingBalance).toBe(statement.openingBalance + statement.granted + statement.adjusted - statement.used - statement.expired);
      if (i > 0) expect(statement.openingBalance).toBe(statements[i - 1].closingBalance);
    });
    if (statements.length > 0) expect(statements.at(-1)!.closingBalance).toBe(counts.balance);
  }
  return counts;
}
