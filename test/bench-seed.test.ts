// The benchmark's bulk seed (scripts/src/bench-seed.ts) writes what the services write: its user logs in and owns
// every seeded organization, the overview shows the seeded counts and a usage total equal to the raw LIVE events,
// one organization never shows another's data, recent events replay by their idempotency keys, and the ledger
// reconciles in SQL and through the API.
import { DEMO_METERS } from '@orgapi/billing';
import { isId } from '@orgapi/shared';
import { BENCH_EMAIL, seedBench, verifyBenchSeed, type BenchData, type BenchOrganization } from '../scripts/src/bench-seed';
import { createKey, expectOk, expectReconciled, logIn, OVERVIEW, RECORD, startGraph, withConnection, type Overview, type SignedInUser, type TestGraph } from './harness';

// The bench's shape at a tiny scale; ten days, so the last 24 hours hold events whose keys replay.
const OPTIONS = { projects: 3, members: 4, events: 600, days: 10, otherOrganizations: 1, smallProjects: 2, smallEvents: 100, demoProjects: 1, demoMembers: 2, demoEvents: 100 };
const HOUR_MS = 3_600_000;

let graph: TestGraph;
let data: BenchData;
let owner: SignedInUser;
let other: BenchOrganization;
beforeAll(async () => {
  // Billing prices usage with the meters the seed priced it with, as `npm start` does.
  graph = await startGraph({ serviceEnv: { billing: { METERS: JSON.stringify(DEMO_METERS) } } });
  data = await seedBench(graph.databaseUrl, OPTIONS, DEMO_METERS);
  owner = await logIn(graph, data);
  const [row] = await sql<{ id: string }>(`SELECT id FROM organizations.organizations WHERE slug = 'bench-other-1'`);
  other = { id: row.id, slug: 'bench-other-1', projects: OPTIONS.projects, events: OPTIONS.events };
});
afterAll(() => graph?.stop());

const sql = <T>(text: string, values: unknown[] = []) => withConnection(graph.databaseUrl, async (client) => (await client.query(text, values)).rows as T[]);

/** The UUIDv7 inside a TypeID: its millisecond time, version and variant. */
function uuidOf(id: string): { ms: number; version: number; variant: number } {
  const bits = [...id.slice(id.indexOf('_') + 1)].reduce((value, character) => value * 32n + BigInt('0123456789abcdefghjkmnpqrstvwxyz'.indexOf(character)), 0n);
  return { ms: Number(bits >> 80n), version: Number((bits >> 76n) & 0xfn), variant: Number((bits >> 62n) & 0x3n) };
}

describe('the bench seed', () => {
  it('seeds the organizations it reports, each reconciled in SQL; the measured one through the API too', async () => {
    expect(data).toMatchObject({
      email: BENCH_EMAIL,
      big: { slug: 'bench', projects: 3, events: 600 },
      small: { slug: 'bench-small', projects: 2, events: 100 },
      quiet: { slug: 'bench-quiet', projects: 3, events: 100 },
      demo: { slug: 'bench-demo', projects: 1, events: 100 },
      others: 1,
    });
    expect(data.seconds).toBeGreaterThan(0);
    for (const organization of [data.big, data.small, data.quiet, data.demo, other]) await verifyBenchSeed(graph.databaseUrl, organization.id);
    const counts = await expectReconciled(graph, data.big.id, owner);
    expect(counts.balance).toBeGreaterThan(0);
    await expect(verifyBenchSeed(graph.databaseUrl, 'org_unknown')).rejects.toThrow('has no billing account');
  });

  it('writes IDs of each kind: version-7 TypeIDs, an organization’s carrying the time it was created', async () => {
    const [row] = await sql<{ organization: string; created_at: Date; event: string; entry: string; grant: string; environment: string }>(
      `SELECT o.id AS organization, o.created_at, (SELECT id FROM billing.usage_events WHERE organization_id = o.id LIMIT 1) AS event,
              (SELECT id FROM billing.ledger_entries WHERE organization_id = o.id AND kind = 'USAGE' LIMIT 1) AS entry,
              (SELECT id FROM billing.credit_grants WHERE organization_id = o.id) AS grant,
              (SELECT id FROM organizations.environments WHERE organization_id = o.id LIMIT 1) AS environment
         FROM organizations.organizations o WHERE o.slug = 'bench'`,
    );
    for (const [id, prefix] of [
      [row.organization, 'org'],
      [row.event, 'use'],
      [row.entry, 'led'],
      [row.grant, 'grt'],
      [row.environment, 'env'],
    ] as const) {
      expect(isId(id, prefix)).toBe(true);
      expect(uuidOf(id)).toMatchObject({ version: 7, variant: 2 });
    }
    expect(uuidOf(row.organization).ms).toBe(row.created_at.getTime());
  });

  it('makes the bench user the owner of every seeded organization, beside distinct members with a mix of roles', async () => {
    const { viewer } = expectOk(
      await graph.request<{ viewer: { memberships: { nodes: { role: string; organization: { slug: string } }[] } } }>(
        '{ viewer { memberships(first: 100) { nodes { role organization { slug } } } } }',
        {},
        owner.token,
      ),
    );
    expect(viewer.memberships.nodes.map((m) => [m.organization.slug, m.role]).sort()).toEqual([
      ['bench', 'OWNER'],
      ['bench-demo', 'OWNER'],
      ['bench-other-1', 'OWNER'],
      ['bench-quiet', 'OWNER'],
      ['bench-small', 'OWNER'],
    ]);
    const members = await sql<{ slug: string; user_id: string; role: string }>(
      'SELECT o.slug, m.user_id, m.role FROM organizations.memberships m JOIN organizations.organizations o ON o.id = m.organization_id ORDER BY m.id',
    );
    const of = (slug: string) => members.filter((m) => m.slug === slug && m.user_id !== owner.id);
    expect(of('bench').map((m) => m.role)).toEqual(['ADMIN', 'BILLING', 'VIEWER']);
    // The small and the quiet organization have the measured one's members; the other one has its own.
    expect(of('bench-small')).toEqual(of('bench').map((m) => ({ ...m, slug: 'bench-small' })));
    expect(of('bench-quiet')).toEqual(of('bench').map((m) => ({ ...m, slug: 'bench-quiet' })));
    // The demo-sized one has the owner and the first demoMembers - 1 of them.
    expect(of('bench-demo')).toEqual(of('bench').slice(0, OPTIONS.demoMembers - 1).map((m) => ({ ...m, slug: 'bench-demo' })));
    expect(of('bench-other-1').filter((m) => of('bench').some((b) => b.user_id === m.user_id))).toEqual([]);
    const [{ users }] = await sql<{ users: number }>(`SELECT count(*)::int AS users FROM identity.users WHERE email LIKE '%@bench.example'`);
    expect(users).toBe(1 + 2 * (OPTIONS.members - 1));
  });

  it.each([
    ['measured', () => data.big],
    ['small', () => data.small],
    ['quiet', () => data.quiet],
    ['demo-sized', () => data.demo],
  ])('shows the %s organization’s counts and its own usage only, equal to its raw LIVE events', async (_, organizationOf) => {
    const organization = organizationOf();
    // Whole hours, so the report counts exactly the events within (usage-period.ts widens a period to whole hours).
    const to = new Date(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS);
    const from = new Date(to.getTime() - 5 * 24 * HOUR_MS);
    const overview = expectOk(await graph.request<Overview>(OVERVIEW, { slug: organization.slug, from, to }, owner.token)).organization;

    const projects = await sql<{ id: string; environments: string[] }>(
      'SELECT p.id, array_agg(e.id ORDER BY e.id) AS environments FROM organizations.projects p JOIN organizations.environments e ON e.project_id = p.id WHERE p.organization_id = $1 GROUP BY p.id',
      [organization.id],
    );
    const usage = await sql<{ project_id: string; live: string; sandbox: string }>(
      `SELECT project_id, coalesce(sum(amount) FILTER (WHERE mode = 'LIVE'), 0) AS live, coalesce(sum(amount) FILTER (WHERE mode = 'SANDBOX'), 0) AS sandbox
         FROM billing.usage_events WHERE organization_id = $1 AND occurred_at >= $2 AND occurred_at < $3 GROUP BY project_id`,
      [organization.id, from, to],
    );
    const [{ balance }] = await sql<{ balance: string }>('SELECT balance FROM billing.billing_accounts WHERE organization_id = $1', [organization.id]);
    const liveOf = (projectId: string) => Number(usage.find((u) => u.project_id === projectId)?.live ?? 0);
    const total = usage.reduce((sum, u) => sum + Number(u.live), 0);

    expect(overview.id).toBe(organization.id);
    expect(overview.viewerRole).toBe('OWNER');
    expect(overview.members.totalCount).toBe(organization === data.demo ? OPTIONS.demoMembers : OPTIONS.members);
    expect(overview.projects.totalCount).toBe(organization.projects);
    expect(overview.projects.nodes.map((p) => p.id).sort()).toEqual(projects.map((p) => p.id).sort());
    for (const project of overview.projects.nodes) {
      expect(project.environments.map((e) => e.mode).sort()).toEqual(['LIVE', 'SANDBOX']);
      expect(project.environments.map((e) => e.id).sort()).toEqual(projects.find((p) => p.id === project.id)!.environments);
      expect(project.creditUsage.total).toBe(liveOf(project.id));
    }
    expect(usage.every((u) => Number(u.sandbox) === 0)).toBe(true);
    expect(total).toBeGreaterThan(0);
    expect(overview.creditUsage.total).toBe(total);
    expect(overview.creditUsage.byDay.reduce((sum, day) => sum + day.amount, 0)).toBe(total);
    expect(overview.creditBalance.available).toBe(Number(balance));

    // Every organization has usage in the period: another's would have changed the total.
    const [{ everyone }] = await sql<{ everyone: string }>('SELECT sum(amount) AS everyone FROM billing.usage_events WHERE occurred_at >= $1 AND occurred_at < $2', [from, to]);
    expect(Number(everyone)).toBeGreaterThan(total);
  });

  it('keeps the last 24 hours’ idempotency keys: sending a recent event again replays it and charges nothing', async () => {
    const [event] = await sql<{ id: string; environment_id: string; meter: string; quantity: string; idempotency_key: string; occurred_at: Date }>(
      `SELECT id, environment_id, meter, quantity, idempotency_key, occurred_at FROM billing.usage_events
        WHERE organization_id = $1 AND mode = 'LIVE' AND created_at > now() - interval '23 hours' ORDER BY created_at DESC LIMIT 1`,
      [data.big.id],
    );
    const key = await createKey(graph, owner, event.environment_id);
    const input = { meter: event.meter, quantity: Number(event.quantity), idempotencyKey: event.idempotency_key, occurredAt: event.occurred_at.toISOString() };
    const { recordUsage } = expectOk(await graph.request<{ recordUsage: { replayed: boolean; event: { id: string } } }>(RECORD, { input }, key));
    expect(recordUsage).toMatchObject({ replayed: true, event: { id: event.id } });
    await verifyBenchSeed(graph.databaseUrl, data.big.id);
  });

  it('refuses a database it has seeded already', async () => {
    await expect(seedBench(graph.databaseUrl, OPTIONS, DEMO_METERS)).rejects.toThrow('needs a fresh database');
  });
});
