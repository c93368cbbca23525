// An organization's credits as an exact ledger: platform operators grant, usage spends grants in the one spending
// order, unspent credits expire, and every change is an entry with the balance it left. Statements, alerts and the
// stored balance all agree with the ledger, after every test that writes.
import { randomUUID } from 'node:crypto';
import { seedDemo } from '../scripts/src/seed';
import {
  addMember,
  codes,
  createKey,
  createOrganization,
  createProject,
  eventually,
  expectOk,
  expectReconciled,
  GRANT,
  grantThroughApi,
  logIn,
  RECORD,
  signUp,
  signUpPlatformOperator,
  startGraph,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
let owner: SignedInUser;
let operator: SignedInUser;
beforeAll(async () => {
  graph = await startGraph({ serviceEnv: { billing: { BILLING_SWEEP_SECONDS: '1' } } });
  owner = await signUp(graph, 'Ledger Owner');
  operator = await signUpPlatformOperator(graph);
});
afterAll(() => graph?.stop());

const BILLING = `query($id: ID!) {
  organization(id: $id) {
    billing {
      balance { available granted used expired adjusted }
      lowBalanceThreshold isLow overdraftLimit
      grants(first: 20) { totalCount nodes { id amount remaining category priority } }
      ledgerEntries(first: 50) {
        totalCount
        nodes { id sequence kind amount balanceAfter grantId usageEventId description reference actor { type id } draws { grantId amount } project { id } environment { id } }
      }
      alerts(first: 10) { nodes { kind balance threshold } }
    }
  }
}`;

interface Billing {
  balance: { available: number; granted: number; used: number; expired: number; adjusted: number };
  lowBalanceThreshold: number | null;
  isLow: boolean;
  overdraftLimit: number;
  grants: { totalCount: number; nodes: { id: string; amount: number; remaining: number; category: string; priority: number }[] };
  ledgerEntries: {
    totalCount: number;
    nodes: {
      id: string;
      sequence: number;
      kind: string;
      amount: number;
      balanceAfter: number;
      grantId: string | null;
      usageEventId: string | null;
      description: string;
      reference: string | null;
      actor: { type: string; id: string | null };
      draws: { grantId: string; amount: number }[];
      project: { id: string } | null;
      environment: { id: string } | null;
    }[];
  };
  alerts: { nodes: { kind: string; balance: number; threshold: number | null }[] };
}

async function billingOf(organizationId: string, as: { token: string } = owner): Promise<Billing> {
  return expectOk(await graph.request<{ organization: { billing: Billing } }>(BILLING, { id: organizationId }, as.token)).organization.billing;
}

async function organizationWithLiveKey(): Promise<{ organizationId: string; projectId: string; environmentId: string; key: string }> {
  const org = await createOrganization(graph, owner, 'Ledgered');
  const project = await createProject(graph, owner, org.id);
  const environmentId = project.environments.find((environment) => environment.mode === 'LIVE')!.id;
  return { organizationId: org.id, projectId: project.id, environmentId, key: await createKey(graph, owner, environmentId) };
}

const spend = (key: string, quantity: number) =>
  graph.request<{ recordUsage: { event: { id: string } } }>(RECORD, { input: { meter: 'requests', quantity, idempotencyKey: randomUUID() } }, key);

const SETTINGS = 'mutation($input: UpdateBillingSettingsInput!) { updateBillingSettings(input: $input) { lowBalanceThreshold isLow } }';

describe('grantCredits', () => {
  it('adds credits as a GRANT entry by the operator, with the balance it left', async () => {
    const { organizationId } = await organizationWithLiveKey();
    const grant = await grantThroughApi(graph, operator, { organizationId, amount: 500, category: 'PURCHASED', reference: 'INV-1' });
    expect(grant).toMatchObject({ amount: 500, remaining: 500 });
    const billing = await billingOf(organizationId);
    expect(billing.balance).toEqual({ available: 500, granted: 500, used: 0, expired: 0, adjusted: 0 });
    expect(billing.ledgerEntries.nodes).toEqual([
      expect.objectContaining({ sequence: 1, kind: 'GRANT', amount: 500, balanceAfter: 500, grantId: grant.id, reference: 'INV-1', actor: { type: 'USER', id: operator.id } }),
    ]);
    await expectReconciled(graph, organizationId, owner);
  });

  it('counts an ADJUSTMENT grant as an adjustment, not as granted', async () => {
    const { organizationId } = await organizationWithLiveKey();
    await grantThroughApi(graph, operator, { organizationId, amount: 40, category: 'ADJUSTMENT' });
    const billing = await billingOf(organizationId);
    expect(billing.balance).toMatchObject({ available: 40, granted: 0, adjusted: 40 });
    expect(billing.ledgerEntries.nodes[0]).toMatchObject({ kind: 'ADJUSTMENT', amount: 40 });
  });

  it('is for platform operators only: an owner of the organization is refused and nothing is granted', async () => {
    const { organizationId } = await organizationWithLiveKey();
    const response = await graph.request(GRANT, { input: { organizationId, amount: 100, category: 'PROMOTIONAL' } }, owner.token);
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect((await billingOf(organizationId)).balance.available).toBe(0);
  });

  it.each([
    ['an amount of 0', { amount: 0 }, 'amount'],
    ['a negative amount', { amount: -10 }, 'amount'],
    ['a priority above 100', { priority: 101 }, 'priority'],
    ['an expiry in the past', { expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
    ['a reference of 201 characters', { reference: 'r'.repeat(201) }, 'reference'],
  ])('refuses %s with BAD_USER_INPUT and grants nothing', async (_, change, field) => {
    const { organizationId } = await organizationWithLiveKey();
    const response = await graph.request(GRANT, { input: { organizationId, amount: 100, category: 'PROMOTIONAL', ...change } }, operator.token);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions).toMatchObject({ field });
    expect((await billingOf(organizationId)).ledgerEntries.totalCount).toBe(0);
  });

  it('refuses an organization that does not exist with NOT_FOUND', async () => {
    const response = await graph.request(GRANT, { input: { organizationId: 'org_01jbzzzzzzzzzzzzzzzzzzzzzz', amount: 100, category: 'PROMOTIONAL' } }, operator.token);
    expect(codes(response)).toEqual(['NOT_FOUND']);
  });
});

describe('spending', () => {
  it('draws from grants by priority, then soonest expiry, then promotional before purchased, then oldest, recording each draw', async () => {
    const { organizationId, projectId, environmentId, key } = await organizationWithLiveKey();
    const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const paid = await grantThroughApi(graph, operator, { organizationId, amount: 100, category: 'PURCHASED' });
    const free = await grantThroughApi(graph, operator, { organizationId, amount: 10, category: 'PROMOTIONAL' });
    const expiring = await grantThroughApi(graph, operator, { organizationId, amount: 10, category: 'PURCHASED', expiresAt: inAWeek });
    const later = await grantThroughApi(graph, operator, { organizationId, amount: 10, category: 'PROMOTIONAL', expiresAt: inAMonth });
    const first = await grantThroughApi(graph, operator, { organizationId, amount: 10, category: 'PURCHASED', priority: 5 });
    expectOk(await spend(key, 45));
    const debit = (await billingOf(organizationId)).ledgerEntries.nodes[0];
    expect(debit).toMatchObject({ kind: 'USAGE', amount: -45, balanceAfter: 95, project: { id: projectId }, environment: { id: environmentId }, actor: { type: 'API_KEY' } });
    expect(debit.draws).toEqual(
      expect.arrayContaining([
        { grantId: first.id, amount: 10 },
        { grantId: expiring.id, amount: 10 },
        { grantId: later.id, amount: 10 },
        { grantId: free.id, amount: 10 },
        { grantId: paid.id, amount: 5 },
      ]),
    );
    expect(debit.draws).toHaveLength(5);
    await expectReconciled(graph, organizationId, owner);
  });
});

describe('expiry', () => {
  it('takes what is left of an expired grant out of the balance as an EXPIRY entry, on read and by the sweep', async () => {
    const { organizationId, key } = await organizationWithLiveKey();
    const soon = new Date(Date.now() + 1_500).toISOString();
    const grant = await grantThroughApi(graph, operator, { organizationId, amount: 50, category: 'PROMOTIONAL', expiresAt: soon });
    await grantThroughApi(graph, operator, { organizationId, amount: 20, category: 'PURCHASED' });
    expectOk(await spend(key, 30));
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const billing = await billingOf(organizationId);
    expect(billing.balance).toEqual({ available: 20, granted: 70, used: 30, expired: 20, adjusted: 0 });
    expect(billing.ledgerEntries.nodes[0]).toMatchObject({ kind: 'EXPIRY', amount: -20, balanceAfter: 20, grantId: grant.id, actor: { type: 'SYSTEM', id: null } });
    await expectReconciled(graph, organizationId, owner);
  });

  it('is written by the scheduled sweep without anyone reading the balance', async () => {
    const { organizationId } = await organizationWithLiveKey();
    await grantThroughApi(graph, operator, { organizationId, amount: 50, category: 'PROMOTIONAL', expiresAt: new Date(Date.now() + 1_000).toISOString() });
    const db = graph.subgraphs.billing.db;
    const expiries = () => db.query(`SELECT amount::int FROM ledger_entries WHERE organization_id = $1 AND kind = 'EXPIRY'`, [organizationId]);
    expect(await eventually(expiries, (rows: unknown[]) => rows.length > 0, 5_000)).toEqual([{ amount: -50 }]);
    await expectReconciled(graph, organizationId, owner);
  });
});

describe('voidCreditGrant', () => {
  it('removes what is left of a grant as a REVERSAL entry; what was spent stays spent', async () => {
    const { organizationId, key } = await organizationWithLiveKey();
    const grant = await grantThroughApi(graph, operator, { organizationId, amount: 50, category: 'PROMOTIONAL' });
    expectOk(await spend(key, 20));
    const voided = expectOk(
      await graph.request<{ voidCreditGrant: { remaining: number; voidedAt: string } }>(
        'mutation($input: VoidCreditGrantInput!) { voidCreditGrant(input: $input) { remaining voidedAt } }',
        { input: { grantId: grant.id, reason: 'Granted to the wrong organization' } },
        operator.token,
      ),
    ).voidCreditGrant;
    expect(voided.remaining).toBe(0);
    expect(voided.voidedAt).toBeTruthy();
    const billing = await billingOf(organizationId);
    expect(billing.balance).toMatchObject({ available: 0, used: 20, adjusted: -30 });
    expect(billing.ledgerEntries.nodes[0]).toMatchObject({ kind: 'REVERSAL', amount: -30, description: 'Granted to the wrong organization' });
    await expectReconciled(graph, organizationId, owner);
  });
});

describe('the low-balance threshold', () => {
  it('is set by billing managers; each crossing raises one alert: dropped, depleted, recovered', async () => {
    const { organizationId, key } = await organizationWithLiveKey();
    await grantThroughApi(graph, operator, { organizationId, amount: 100, category: 'PURCHASED' });
    const set = expectOk(await graph.request<{ updateBillingSettings: { lowBalanceThreshold: number; isLow: boolean } }>(SETTINGS, { input: { organizationId, lowBalanceThreshold: 50 } }, owner.token));
    expect(set.updateBillingSettings).toEqual({ lowBalanceThreshold: 50, isLow: false });
    expectOk(await spend(key, 30));
    expectOk(await spend(key, 30));
    expectOk(await spend(key, 5));
    expectOk(await spend(key, 35));
    await grantThroughApi(graph, operator, { organizationId, amount: 100, category: 'PURCHASED' });
    const billing = await billingOf(organizationId);
    expect(billing.alerts.nodes).toEqual([
      { kind: 'BALANCE_RECOVERED', balance: 100, threshold: 50 },
      { kind: 'BALANCE_DEPLETED', balance: 0, threshold: 50 },
      { kind: 'BALANCE_DROPPED', balance: 40, threshold: 50 },
    ]);
    expect(billing.isLow).toBe(false);
    await expectReconciled(graph, organizationId, owner);
  });

  it('reaches the audit log through the relay to organizations, and queues an email to each billing manager', async () => {
    const { organizationId, key } = await organizationWithLiveKey();
    const billingMember = await signUp(graph, 'Bill Manager');
    await addMember(graph, organizationId, billingMember, 'BILLING');
    await grantThroughApi(graph, operator, { organizationId, amount: 100, category: 'PURCHASED' });
    expectOk(await graph.request(SETTINGS, { input: { organizationId, lowBalanceThreshold: 50 } }, owner.token));
    expectOk(await spend(key, 60));
    const AUDIT = 'query($id: ID!) { organization(id: $id) { auditEvents(first: 20) { nodes { action actor { type } target { type } after } } } }';
    type Audit = { organization: { auditEvents: { nodes: { action: string; actor: { type: string }; target: { type: string }; after: unknown }[] } } };
    const alerts = async () => expectOk(await graph.request<Audit>(AUDIT, { id: organizationId }, owner.token)).organization.auditEvents.nodes.filter((e) => e.action.startsWith('billing.'));
    expect(await eventually(alerts, (events) => events.length > 0, 10_000)).toEqual([
      { action: 'billing.balance_dropped', actor: { type: 'SYSTEM' }, target: { type: 'billing_alert' }, after: { balance: 40, threshold: 50 } },
    ]);
    const queued: { to_address: string }[] = await graph.subgraphs.organizations.db.query(
      `SELECT recipient AS to_address FROM outbox WHERE subject LIKE '%credit balance is low%' AND recipient = ANY($1)`,
      [[owner.email, billingMember.email]],
    );
    // The owner also manages the other organizations of this file: only the billing member's count is this alert's alone.
    expect(queued.filter((row) => row.to_address === billingMember.email)).toHaveLength(1);
    expect(queued.some((row) => row.to_address === owner.email)).toBe(true);
  });

  it('is refused to members without billing:manage, and to people outside the organization as NOT_FOUND', async () => {
    const { organizationId } = await organizationWithLiveKey();
    const member = await signUp(graph, 'Plain Member');
    await addMember(graph, organizationId, member, 'MEMBER');
    const stranger = await signUp(graph, 'Stranger');
    expect(codes(await graph.request(SETTINGS, { input: { organizationId, lowBalanceThreshold: 5 } }, member.token))).toEqual(['FORBIDDEN']);
    expect(codes(await graph.request(SETTINGS, { input: { organizationId, lowBalanceThreshold: 5 } }, stranger.token))).toEqual(['NOT_FOUND']);
    expect((await billingOf(organizationId)).lowBalanceThreshold).toBeNull();
  });
});

describe('the overdraft limit', () => {
  it('lets usage take the balance below zero down to the limit, and the next grant repays it first', async () => {
    const { organizationId, key } = await organizationWithLiveKey();
    await grantThroughApi(graph, operator, { organizationId, amount: 10, category: 'PURCHASED' });
    const SET = 'mutation($input: SetOverdraftLimitInput!) { setOverdraftLimit(input: $input) { overdraftLimit } }';
    expect(codes(await graph.request(SET, { input: { organizationId, limit: 25 } }, owner.token))).toEqual(['FORBIDDEN']);
    expect(expectOk(await graph.request<{ setOverdraftLimit: { overdraftLimit: number } }>(SET, { input: { organizationId, limit: 25 } }, operator.token)).setOverdraftLimit.overdraftLimit).toBe(25);
    expectOk(await spend(key, 30));
    expect(codes(await spend(key, 6))).toEqual(['INSUFFICIENT_CREDITS']);
    const grant = await grantThroughApi(graph, operator, { organizationId, amount: 50, category: 'PURCHASED' });
    expect(grant.remaining).toBe(30);
    expect((await billingOf(organizationId)).balance.available).toBe(30);
    await expectReconciled(graph, organizationId, owner);
  });
});

describe('the ledger', () => {
  it('pages newest first, and filters by kind and time', async () => {
    const { organizationId, key } = await organizationWithLiveKey();
    await grantThroughApi(graph, operator, { organizationId, amount: 100, category: 'PURCHASED' });
    for (let i = 0; i < 5; i++) expectOk(await spend(key, 1));
    const PAGE = `query($id: ID!, $after: String, $filter: LedgerEntryFilter) {
      organization(id: $id) { billing { ledgerEntries(first: 2, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { sequence kind } } } }
    }`;
    type Page = { organization: { billing: { ledgerEntries: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { sequence: number; kind: string }[] } } } };
    const sequences: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = expectOk(await graph.request<Page>(PAGE, { id: organizationId, after }, owner.token));
      sequences.push(...page.organization.billing.ledgerEntries.nodes.map((entry) => entry.sequence));
      if (!page.organization.billing.ledgerEntries.pageInfo.hasNextPage) break;
      after = page.organization.billing.ledgerEntries.pageInfo.endCursor;
    }
    expect(sequences).toEqual([6, 5, 4, 3, 2, 1]);
    const grants = expectOk(await graph.request<Page>(PAGE, { id: organizationId, filter: { kind: ['GRANT'] } }, owner.token)).organization.billing.ledgerEntries;
    expect(grants).toMatchObject({ totalCount: 1, nodes: [{ sequence: 1, kind: 'GRANT' }] });
    const future = expectOk(await graph.request<Page>(PAGE, { id: organizationId, filter: { from: new Date(Date.now() + 60_000).toISOString() } }, owner.token));
    expect(future.organization.billing.ledgerEntries.totalCount).toBe(0);
  });

  it('cannot be changed or deleted, even by billing\'s own database role', async () => {
    const { organizationId } = await organizationWithLiveKey();
    await grantThroughApi(graph, operator, { organizationId, amount: 10, category: 'PURCHASED' });
    const db = graph.subgraphs.billing.db;
    await expect(db.query('UPDATE ledger_entries SET amount = 1000 WHERE organization_id = $1', [organizationId])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM ledger_entries WHERE organization_id = $1', [organizationId])).rejects.toThrow(/append-only/);
    await expect(db.query('UPDATE billing_accounts SET balance = balance + 1 WHERE organization_id = $1', [organizationId])).rejects.toThrow(/balance_adds_up/);
  });
});

describe('statements', () => {
  it('give one month per month since the first entry, reconciling with the ledger and the balance', async () => {
    const { organizationId, key } = await organizationWithLiveKey();
    await grantThroughApi(graph, operator, { organizationId, amount: 300, category: 'PURCHASED' });
    await grantThroughApi(graph, operator, { organizationId, amount: 20, category: 'ADJUSTMENT' });
    expectOk(await spend(key, 45));
    const year = new Date().getUTCFullYear();
    const data = expectOk(
      await graph.request<{ organization: { billing: { balance: { available: number }; statements: { month: string; openingBalance: number; granted: number; used: number; expired: number; adjusted: number; closingBalance: number }[] } } }>(
        'query($id: ID!, $year: Int!) { organization(id: $id) { billing { balance { available } statements(year: $year) { month openingBalance granted used expired adjusted closingBalance } } } }',
        { id: organizationId, year },
        owner.token,
      ),
    ).organization.billing;
    const month = new Date().toISOString().slice(0, 7);
    expect(data.statements).toEqual([{ month, openingBalance: 0, granted: 300, used: 45, expired: 0, adjusted: 20, closingBalance: 275 }]);
    expect(data.statements.at(-1)!.closingBalance).toBe(data.balance.available);
    const future = await graph.request('query($id: ID!) { organization(id: $id) { billing { statements(year: 3000) { month } } } }', { id: organizationId }, owner.token);
    expect(codes(future)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('the demo billing history', () => {
  it('is written through the services and reconciles: every grant category, 90 days on several meters in both modes, an expired grant, a low-balance alert', async () => {
    const demo = await seedDemo(graph.serviceUrls);
    const ada = await logIn(graph, { email: demo.email, password: demo.password });
    const to = new Date();
    const from = new Date(to.getTime() - 91 * 86_400_000);
    const { organization } = expectOk(
      await graph.request<{
        organization: {
          id: string;
          billing: { grants: { nodes: { category: string }[] }; alerts: { nodes: { kind: string }[] }; ledgerEntries: { totalCount: number } };
          creditUsage: { byDay: { amount: number }[]; byMeter: { meter: string; quantity: number }[]; byEnvironmentMode: { mode: string; quantity: number; amount: number }[] };
        };
      }>(
        `query($from: DateTime!, $to: DateTime!) { organization(slug: "acme") {
           id
           billing { grants(first: 20, includeInactive: true) { nodes { category } } alerts { nodes { kind } } ledgerEntries(filter: { kind: [EXPIRY] }) { totalCount } }
           creditUsage(from: $from, to: $to) { byDay { amount } byMeter { meter quantity } byEnvironmentMode { mode quantity amount } }
         } }`,
        { from, to },
        ada.token,
      ),
    );
    expect(new Set(organization.billing.grants.nodes.map((grant) => grant.category))).toEqual(new Set(['PURCHASED', 'PROMOTIONAL', 'ADJUSTMENT']));
    expect(organization.billing.ledgerEntries.totalCount).toBeGreaterThanOrEqual(1);
    expect(organization.billing.alerts.nodes.map((alert) => alert.kind)).toContain('BALANCE_DROPPED');
    expect(organization.creditUsage.byMeter.map((meter) => meter.meter)).toEqual(['compute_seconds', 'emails', 'requests']);
    expect(organization.creditUsage.byEnvironmentMode).toEqual([
      { mode: 'SANDBOX', quantity: expect.any(Number), amount: 0 },
      { mode: 'LIVE', quantity: expect.any(Number), amount: expect.any(Number) },
    ]);
    expect(organization.creditUsage.byEnvironmentMode.every((mode) => mode.quantity > 0)).toBe(true);
    expect(organization.creditUsage.byDay.filter((day) => day.amount > 0).length).toBeGreaterThanOrEqual(89);
    await expectReconciled(graph, organization.id, ada);
  });
});

describe('refusals that change nothing', () => {
  const VOID = 'mutation($input: VoidCreditGrantInput!) { voidCreditGrant(input: $input) { id voidedAt } }';
  const OVERDRAFT = 'mutation($input: SetOverdraftLimitInput!) { setOverdraftLimit(input: $input) { overdraftLimit } }';

  it('voiding: only operators, an unknown grant is NOT_FOUND, a voided grant cannot be voided again', async () => {
    const { organizationId } = await organizationWithLiveKey();
    const grant = await grantThroughApi(graph, operator, { organizationId, amount: 30, category: 'PROMOTIONAL' });
    expect(codes(await graph.request(VOID, { input: { grantId: grant.id } }, owner.token))).toEqual(['FORBIDDEN']);
    expect(codes(await graph.request(VOID, { input: { grantId: 'grt_01jbzzzzzzzzzzzzzzzzzzzzzz' } }, operator.token))).toEqual(['NOT_FOUND']);
    expect(codes(await graph.request(VOID, { input: { grantId: 'not-an-id' } }, operator.token))).toEqual(['NOT_FOUND']);
    expectOk(await graph.request(VOID, { input: { grantId: grant.id } }, operator.token));
    const again = await graph.request(VOID, { input: { grantId: grant.id } }, operator.token);
    expect(codes(again)).toEqual(['CONFLICT']);
    expect((await billingOf(organizationId)).ledgerEntries.nodes.filter((entry) => entry.kind === 'REVERSAL')).toHaveLength(1);
    await expectReconciled(graph, organizationId, owner);
  });

  it.each([
    ['a negative threshold', SETTINGS, { lowBalanceThreshold: -1 }, 'lowBalanceThreshold', 'owner'],
    ['a negative overdraft', OVERDRAFT, { limit: -5 }, 'limit', 'operator'],
  ] as const)('refuses %s with BAD_USER_INPUT on the field', async (_, mutation, change, field, who) => {
    const { organizationId } = await organizationWithLiveKey();
    const response = await graph.request(mutation, { input: { organizationId, ...change } }, (who === 'owner' ? owner : operator).token);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions).toMatchObject({ field });
    const billing = await billingOf(organizationId);
    expect([billing.lowBalanceThreshold, billing.overdraftLimit]).toEqual([null, 0]);
  });

  it('refuses a ledger filter whose `to` is not after its `from`, and a cursor the ledger did not give', async () => {
    const { organizationId } = await organizationWithLiveKey();
    const LEDGER = 'query($id: ID!, $filter: LedgerEntryFilter, $after: String) { organization(id: $id) { billing { ledgerEntries(filter: $filter, after: $after) { totalCount } } } }';
    const backwards = await graph.request(LEDGER, { id: organizationId, filter: { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' } }, owner.token);
    expect(codes(backwards)).toEqual(['BAD_USER_INPUT']);
    const forged = await graph.request(LEDGER, { id: organizationId, after: 'bm90LWEtY3Vyc29y' }, owner.token);
    expect(codes(forged)).toEqual(['BAD_USER_INPUT']);
  });
});
