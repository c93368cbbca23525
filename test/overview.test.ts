// The overview query: one request to the gateway returns an organization with data from all three subgraphs.
import {
  addMember,
  countStatements,
  createOrganization,
  createProject,
  grantCredits,
  OVERVIEW,
  recordUsage,
  signUp,
  startGraph,
  type CreatedOrganization,
  type CreatedProject,
  type Overview,
  type SignedInUser,
  type TestGraph,
} from './harness';

const period = { from: '2026-11-01T00:00:00Z', to: '2026-11-04T00:00:00Z' };

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

  beforeAll(async () => {
    owner = await signUp(graph, 'Olivia Owner');
    viewer = await signUp(graph, 'Victor Viewer');
    org = await createOrganization(graph, owner, 'Acme Corp');
    await addMember(graph, org.id, viewer, 'VIEWER');
    projects = [];
    for (const name of ['Checkout', 'Payouts', 'Search']) projects.push(await createProject(graph, owner, org.id, name));
    await grantCredits(graph, org.id, 10_000);
    const [checkout, payouts] = projects;
    await recordUsage(graph, { organizationId: org.id, projectId: checkout.id, environmentId: checkout.environments[0].id, amount: 120, at: new Date('2026-11-01T10:00:00Z') });
    await recordUsage(graph, { organizationId: org.id, projectId: checkout.id, environmentId: checkout.environments[1].id, amount: 30, at: new Date('2026-11-03T23:59:59Z') });
    await recordUsage(graph, { organizationId: org.id, projectId: payouts.id, environmentId: payouts.environments[1].id, amount: 7, at: new Date('2026-11-02T00:00:00Z') });
    // Outside the period: counts for the balance, not for the period's usage.
    await recordUsage(graph, { organizationId: org.id, projectId: payouts.id, environmentId: payouts.environments[1].id, amount: 1000, at: new Date('2026-10-31T23:59:59Z') });
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
        { date: '2026-11-01', amount: 120 },
        { date: '2026-11-02', amount: 7 },
        { date: '2026-11-03', amount: 30 },
      ],
    });
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

  it('sends the same number of SQL statements for 3 projects as for 100', async () => {
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
    // One statement per loader batch: organization, membership, members page and count, users, projects page and
    // count, environments, balance, organization usage, project usage; and identity's check that the session is live.
    expect(small.statements).toBeLessThanOrEqual(12);
    console.log(`overview SQL statements: ${small.statements}`);
  });
});
