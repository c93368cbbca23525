// The overview query: one request to the gateway returns an organization with data from all three subgraphs.
import { register } from 'prom-client';
import {
  addMember,
  countStatements,
  createKey,
  createOrganization,
  createProject,
  expectOk,
  expectReconciled,
  grantCredits,
  OVERVIEW,
  RECORD,
  RECORD_BATCH,
  signUp,
  startGraph,
  type CreatedOrganization,
  type CreatedProject,
  type Overview,
  type SignedInUser,
  type TestGraph,
} from './harness';

// Usage is recorded through the API, which takes events of the last 35 days only: the period is the three whole UTC
// days before today, and every event lies before today's midnight (so never in the future).
const DAY_MS = 86_400_000;
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const daysAgo = (days: number, time = '00:00:00.000') => new Date(today - days * DAY_MS).toISOString().replace('00:00:00.000', time);
const period = { from: daysAgo(3), to: daysAgo(0) };

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

describe('the overview query', () => {
  let owner: SignedInUser;
  let viewer: SignedInUser;
  let org: CreatedOrganization;
  let projects: CreatedProject[];
  let checkoutLiveKey: string;

  beforeAll(async () => {
    owner = await signUp(graph, 'Olivia Owner');
    viewer = await signUp(graph, 'Victor Viewer');
    org = await createOrganization(graph, owner, 'Acme Corp');
    await addMember(graph, org.id, viewer, 'VIEWER');
    projects = [];
    for (const name of ['Checkout', 'Payouts', 'Search']) projects.push(await createProject(graph, owner, org.id, name));
    await grantCredits(graph, org.id, 10_000);
    const [checkout, payouts] = projects;
    const environment = (project: CreatedProject, mode: 'SANDBOX' | 'LIVE') => project.environments.find((e) => e.mode === mode)!.id;
    const keys = {
      checkoutLive: await createKey(graph, owner, environment(checkout, 'LIVE')),
      checkoutSandbox: await createKey(graph, owner, environment(checkout, 'SANDBOX')),
      payoutsLive: await createKey(graph, owner, environment(payouts, 'LIVE')),
    };
    checkoutLiveKey = keys.checkoutLive;
    const record = async (key: string, quantity: number, occurredAt: string) =>
      expectOk(await graph.request(RECORD, { input: { meter: 'requests', quantity, idempotencyKey: `overview-${occurredAt}`, occurredAt } }, key));
    // `requests` costs 1 credit a unit in LIVE; SANDBOX usage is recorded and costs nothing.
    await record(keys.checkoutLive, 120, daysAgo(3, '10:00:00.000'));
    await record(keys.checkoutSandbox, 500, daysAgo(2, '12:00:00.000'));
    await record(keys.checkoutLive, 30, daysAgo(1, '23:59:59.000'));
    await record(keys.payoutsLive, 7, daysAgo(2));
    // Before the period: counts for the balance, not for the period's usage.
    await record(keys.payoutsLive, 1000, daysAgo(4, '23:59:59.000'));
  });

  it('returns every field, from all three subgraphs, in one request', async () => {
    const response = await graph.request<Overview>(OVERVIEW, { slug: org.slug, ...period }, owner.token);
    expect(response.errors).toBeUndefined();
    const organization = response.data!.organization;
    expect(organization).toMatchObject({ id: org.id, slug: org.slug, name: 'Acme Corp', viewerRole: 'OWNER' });

    expect(organization.members.totalCount).toBe(2);
    expect(organization.members.nodes).toEqual([
      { role: 'OWNER', user: { id: owner.id, email: owner.email, name: 'Olivia Owner' } },
      { role: 'VIEWER', user: { id: viewer.id, email: viewer.email, name: 'Victor Viewer' } },
    ]);

    expect(organization.projects.totalCount).toBe(3);
    expect(organization.projects.nodes.map((p) => [p.name, p.creditUsage.total])).toEqual([
      ['Checkout', 150],
      ['Payouts', 7],
      ['Search', 0],
    ]);
    for (const project of organization.projects.nodes) {
      expect(project.environments.map((e) => e.mode)).toEqual(['SANDBOX', 'LIVE']);
      expect(project.environments.every((e) => e.id.startsWith('env_'))).toBe(true);
    }

    expect(organization.creditBalance).toEqual({ available: 10_000 - 1157 });
    expect(organization.creditUsage).toEqual({
      total: 157,
      byDay: [
        { date: daysAgo(3).slice(0, 10), amount: 120 },
        { date: daysAgo(2).slice(0, 10), amount: 7 },
        { date: daysAgo(1).slice(0, 10), amount: 30 },
      ],
    });
    await expectReconciled(graph, org.id);
  });

  it('gives a member without billing:read the organization and its projects, but not its credits', async () => {
    const response = await graph.request<Overview>(OVERVIEW, { slug: org.slug, ...period }, viewer.token);
    const organization = response.data!.organization;
    expect(organization.viewerRole).toBe('VIEWER');
    expect(organization.projects.totalCount).toBe(3);
    expect(organization.creditBalance).toBeNull();
    expect(organization.creditUsage).toBeNull();
    expect(organization.projects.nodes.every((p) => p.creditUsage === null)).toBe(true);
    const refused = response.errors!.map((e) => [e.path?.join('.'), e.extensions?.code]);
    expect(refused).toEqual(
      expect.arrayContaining([
        ['organization.creditBalance', 'FORBIDDEN'],
        ['organization.creditUsage', 'FORBIDDEN'],
        ['organization.projects.nodes.0.creditUsage', 'FORBIDDEN'],
      ]),
    );
    expect(refused).toHaveLength(5);
  });

  it('sends the same number of SQL statements for 3 projects as for 100, and after a thousand more events', async () => {
    const measure = async (token: string, slug: string) => {
      const { result, statements } = await countStatements<Overview>(graph, OVERVIEW, { slug, ...period }, token);
      expect(result.errors).toBeUndefined();
      return { statements, projects: result.data!.organization.projects.nodes.length };
    };
    const small = await measure(owner.token, org.slug);

    const bigOwner = await signUp(graph, 'Big Owner');
    const big = await createOrganization(graph, bigOwner, 'Big Org');
    for (let i = 0; i < 100; i++) await createProject(graph, bigOwner, big.id, `Project ${i}`);
    const large = await measure(bigOwner.token, big.slug);

    expect(small.projects).toBe(3);
    expect(large.projects).toBe(100);
    expect(large.statements).toBe(small.statements);

    // Reports read rollups and the balance is one row: a thousand more events in the period add no statement.
    const events = Array.from({ length: 1000 }, (_, i) => ({
      meter: 'requests',
      quantity: 1,
      idempotencyKey: `overview-batch-${i}`,
      occurredAt: new Date(Date.parse(period.from) + i * 250_000).toISOString(),
    }));
    expect(expectOk(await graph.request<{ recordUsageBatch: { recorded: number } }>(RECORD_BATCH, { input: { events } }, checkoutLiveKey)).recordUsageBatch.recorded).toBe(1000);
    const busier = await measure(owner.token, org.slug);
    expect(busier.statements).toBe(small.statements);
    await expectReconciled(graph, org.id);
    // One statement per loader batch: organization, membership, members page and count, users, projects page and
    // count, environments, balance, organization usage, project usage; and identity's check that the session is live.
    expect(small.statements).toBeLessThanOrEqual(12);
    console.log(`overview SQL statements: ${small.statements}`);
  });

  it('waits for one round trip of the revocation barrier in each service that keeps answers, however many reads it keeps', async () => {
    // The services run in this process: the counter is theirs together.
    const roundTrips = async () => (await register.getSingleMetric('revocation_barrier_round_trips_total')!.get()).values[0].value;
    const overview = () => graph.request<Overview>(OVERVIEW, { slug: org.slug, ...period }, owner.token);
    expectOk(await overview());
    for (let i = 0; i < 3; i++) {
      const before = await roundTrips();
      expectOk(await overview());
      // The gateway's for the credential; each subgraph's for the credential and every kept read at once.
      expect((await roundTrips()) - before).toBe(4);
    }
  });
});
