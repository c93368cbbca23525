// Usage reports through the gateway: the total and each breakdown (day, project, meter, environment mode) for an
// organization, a project and an environment, over UTC periods that include `from` and exclude `to`, at most 400
// days; each breakdown read only when asked for, and the overview's SQL statements the same however many projects and events.
import { newId } from '@orgapi/shared';
import {
  grantCredits,
  countStatements,
  createOrganization,
  createProject,
  expectError,
  expectOk,
  recordUsage,
  signUp,
  startGraph,
  type CreatedOrganization,
  type CreatedProject,
  type SignedInUser,
  type TestGraph,
} from './harness';

type Mode = 'SANDBOX' | 'LIVE';

const REPORT = `total byDay { date amount } byProject { project { id name } amount } byMeter { meter amount quantity } byEnvironmentMode { mode amount quantity }`;

interface Report {
  total: number;
  byDay: { date: string; amount: number }[];
  byProject: { project: { id: string; name: string } | null; amount: number }[];
  byMeter: { meter: string; amount: number; quantity: number }[];
  byEnvironmentMode: { mode: Mode; amount: number; quantity: number }[];
}

const ORGANIZATION_USAGE = `query($id: ID!, $from: DateTime!, $to: DateTime!) { organization(id: $id) { creditUsage(from: $from, to: $to) { ${REPORT} } } }`;
const PROJECT_USAGE = `query($id: ID!, $from: DateTime!, $to: DateTime!) { project(id: $id) { creditUsage(from: $from, to: $to) { ${REPORT} } } }`;
const ENVIRONMENT_USAGE = `query($id: ID!, $from: DateTime!, $to: DateTime!) { environment(id: $id) { creditUsage(from: $from, to: $to) { ${REPORT} } } }`;

/** The overview (test/harness/queries.ts) with every breakdown of the organization's usage, each project's total and modes, and each environment's total. */
const USAGE_OVERVIEW = `query($id: ID!, $from: DateTime!, $to: DateTime!) {
  organization(id: $id) {
    id name
    projects(first: 100) {
      totalCount
      nodes {
        id name
        creditUsage(from: $from, to: $to) { total byEnvironmentMode { mode amount quantity } }
        environments { id mode creditUsage(from: $from, to: $to) { total } }
      }
    }
    creditUsage(from: $from, to: $to) { ${REPORT} }
  }
}`;

interface UsageOverview {
  organization: { projects: { nodes: { creditUsage: Report; environments: { creditUsage: Report }[] }[] }; creditUsage: Report };
}

const WHOLE_DAYS = { from: '2026-11-01T00:00:00Z', to: '2026-11-04T00:00:00Z' };
const MID_DAY = { from: '2026-11-01T12:00:00Z', to: '2026-11-03T12:00:00Z' };

let graph: TestGraph;
let owner: SignedInUser;
beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph, 'Rita Reports');
});
afterAll(() => graph?.stop());

const environmentOf = (project: CreatedProject, mode: Mode) => project.environments.find((environment) => environment.mode === mode)!;

/** Records usage in the project's environment of that mode; the SANDBOX usage below costs 0 credits, as the ledger records it. */
function use(organization: CreatedOrganization, project: CreatedProject, usage: { mode: Mode; meter: string; quantity: number; amount: number; at: string }) {
  return recordUsage(graph, {
    organizationId: organization.id,
    projectId: project.id,
    environmentId: environmentOf(project, usage.mode).id,
    mode: usage.mode,
    meter: usage.meter,
    quantity: usage.quantity,
    amount: usage.amount,
    at: new Date(usage.at),
  });
}

describe('an organization with two projects, two meters and both modes', () => {
  let org: CreatedOrganization;
  let checkout: CreatedProject;
  let search: CreatedProject;
  beforeAll(async () => {
    org = await createOrganization(graph, owner, 'Reported');
    await grantCredits(graph, org.id, 1_000_000);
    checkout = await createProject(graph, owner, org.id, 'Checkout');
    search = await createProject(graph, owner, org.id, 'Search');
    for (const [project, usage] of [
      [checkout, { mode: 'LIVE', meter: 'requests', quantity: 10, amount: 10, at: '2026-11-01T10:00:00Z' }],
      [checkout, { mode: 'LIVE', meter: 'requests', quantity: 1, amount: 1, at: '2026-11-01T12:00:00Z' }],
      [checkout, { mode: 'LIVE', meter: 'storage_gb', quantity: 3, amount: 30, at: '2026-11-02T00:00:00Z' }],
      [checkout, { mode: 'SANDBOX', meter: 'requests', quantity: 40, amount: 0, at: '2026-11-02T12:00:00Z' }],
      [search, { mode: 'LIVE', meter: 'requests', quantity: 2, amount: 2, at: '2026-11-03T11:59:59.999Z' }],
      [search, { mode: 'LIVE', meter: 'requests', quantity: 4, amount: 4, at: '2026-11-03T12:00:00Z' }],
      [search, { mode: 'SANDBOX', meter: 'storage_gb', quantity: 5, amount: 0, at: '2026-11-01T00:00:00Z' }],
      // Just outside WHOLE_DAYS, at either end.
      [search, { mode: 'LIVE', meter: 'requests', quantity: 100, amount: 100, at: '2026-10-31T23:59:59.999Z' }],
      [checkout, { mode: 'LIVE', meter: 'requests', quantity: 500, amount: 500, at: '2026-11-04T00:00:00Z' }],
    ] as const) {
      await use(org, project, usage);
    }
  });

  const report = async (query: string, id: string, period: { from: string; to: string }) =>
    Object.values(expectOk(await graph.request<Record<string, { creditUsage: Report }>>(query, { id, ...period }, owner.token)))[0].creditUsage;

  it('breaks the period down by day, by project (largest first, named by organizations), by meter and by mode', async () => {
    expect(await report(ORGANIZATION_USAGE, org.id, WHOLE_DAYS)).toEqual({
      total: 47,
      byDay: [
        { date: '2026-11-01', amount: 11 },
        { date: '2026-11-02', amount: 30 },
        { date: '2026-11-03', amount: 6 },
      ],
      byProject: [
        { project: { id: checkout.id, name: 'Checkout' }, amount: 41 },
        { project: { id: search.id, name: 'Search' }, amount: 6 },
      ],
      byMeter: [
        { meter: 'requests', amount: 17, quantity: 57 },
        { meter: 'storage_gb', amount: 30, quantity: 8 },
      ],
      // SANDBOX usage costs nothing, but its units are reported.
      byEnvironmentMode: [
        { mode: 'SANDBOX', amount: 0, quantity: 45 },
        { mode: 'LIVE', amount: 47, quantity: 20 },
      ],
    });
  });

  it('includes `from` and excludes `to` on days cut at either edge, read from the hourly rollups', async () => {
    expect(await report(ORGANIZATION_USAGE, org.id, MID_DAY)).toEqual({
      total: 33,
      byDay: [
        { date: '2026-11-01', amount: 1 },
        { date: '2026-11-02', amount: 30 },
        { date: '2026-11-03', amount: 2 },
      ],
      byProject: [
        { project: { id: checkout.id, name: 'Checkout' }, amount: 31 },
        { project: { id: search.id, name: 'Search' }, amount: 2 },
      ],
      byMeter: [
        { meter: 'requests', amount: 3, quantity: 43 },
        { meter: 'storage_gb', amount: 30, quantity: 3 },
      ],
      byEnvironmentMode: [
        { mode: 'SANDBOX', amount: 0, quantity: 40 },
        { mode: 'LIVE', amount: 33, quantity: 6 },
      ],
    });
  });

  it('counts each UTC hour the period overlaps in full: the hour of `from` in, the hour that starts at `to` out', async () => {
    // 2 credits at 11:59:59.999 (hour 11), 4 at 12:00:00.000 (hour 12) on 3 November.
    const total = async (from: string, to: string) => (await report(ORGANIZATION_USAGE, org.id, { from, to })).total;
    expect(await total('2026-11-03T11:59:59.999Z', '2026-11-03T12:00:00Z')).toBe(2);
    expect(await total('2026-11-03T12:00:00Z', '2026-11-03T12:00:00.001Z')).toBe(4);
    expect(await total('2026-11-03T11:59:59.999Z', '2026-11-03T12:00:00.001Z')).toBe(6);
    // Within the hour, the whole hour counts: a report has no finer grain than its rollups.
    expect(await total('2026-11-03T11:30:00Z', '2026-11-03T11:45:00Z')).toBe(2);
    // Usage at midnight belongs to the day it starts.
    expect((await report(ORGANIZATION_USAGE, org.id, { from: '2026-11-04T00:00:00Z', to: '2026-11-05T00:00:00Z' })).byDay).toEqual([{ date: '2026-11-04', amount: 500 }]);
  });

  it("scopes a project's report to that project", async () => {
    expect(await report(PROJECT_USAGE, checkout.id, WHOLE_DAYS)).toEqual({
      total: 41,
      byDay: [
        { date: '2026-11-01', amount: 11 },
        { date: '2026-11-02', amount: 30 },
        { date: '2026-11-03', amount: 0 },
      ],
      byProject: [{ project: { id: checkout.id, name: 'Checkout' }, amount: 41 }],
      byMeter: [
        { meter: 'requests', amount: 11, quantity: 51 },
        { meter: 'storage_gb', amount: 30, quantity: 3 },
      ],
      byEnvironmentMode: [
        { mode: 'SANDBOX', amount: 0, quantity: 40 },
        { mode: 'LIVE', amount: 41, quantity: 14 },
      ],
    });
  });

  it("scopes an environment's report to that environment, both modes still listed", async () => {
    expect(await report(ENVIRONMENT_USAGE, environmentOf(checkout, 'LIVE').id, WHOLE_DAYS)).toMatchObject({
      total: 41,
      byProject: [{ project: { id: checkout.id, name: 'Checkout' }, amount: 41 }],
      byMeter: [
        { meter: 'requests', amount: 11, quantity: 11 },
        { meter: 'storage_gb', amount: 30, quantity: 3 },
      ],
      byEnvironmentMode: [
        { mode: 'SANDBOX', amount: 0, quantity: 0 },
        { mode: 'LIVE', amount: 41, quantity: 14 },
      ],
    });
    // A project's SANDBOX usage alone costs nothing: it is listed at 0 credits, with its units.
    expect(await report(ENVIRONMENT_USAGE, environmentOf(search, 'SANDBOX').id, WHOLE_DAYS)).toEqual({
      total: 0,
      byDay: [
        { date: '2026-11-01', amount: 0 },
        { date: '2026-11-02', amount: 0 },
        { date: '2026-11-03', amount: 0 },
      ],
      byProject: [{ project: { id: search.id, name: 'Search' }, amount: 0 }],
      byMeter: [{ meter: 'storage_gb', amount: 0, quantity: 5 }],
      byEnvironmentMode: [
        { mode: 'SANDBOX', amount: 0, quantity: 5 },
        { mode: 'LIVE', amount: 0, quantity: 0 },
      ],
    });
  });

  it('reads only the breakdowns a query selects: `total` with `byDay` is one statement, the breakdowns by project, meter and mode one more together', async () => {
    const statements = async (fields: string) => {
      const query = `query($id: ID!, $from: DateTime!, $to: DateTime!) { organization(id: $id) { creditUsage(from: $from, to: $to) { ${fields} } } }`;
      const { result, statements } = await countStatements(graph, query, { id: org.id, ...MID_DAY }, owner.token);
      expect(result.errors).toBeUndefined();
      return statements;
    };
    const total = await statements('total');
    expect(await statements('total byDay { date }')).toBe(total);
    expect(await statements('byDay { date }')).toBe(total);
    expect(await statements('total byMeter { meter }')).toBe(total + 1);
    expect(await statements('total byDay { date } byProject { amount } byMeter { meter } byEnvironmentMode { mode }')).toBe(total + 1);
  });
});

describe('a project deleted, or never known to organizations', () => {
  it('is listed by byProject with a null project, without an error, and counts in the rest of the report', async () => {
    const org = await createOrganization(graph, owner, 'Forgetful');
    await grantCredits(graph, org.id, 1_000_000);
    const kept = await createProject(graph, owner, org.id, 'Kept');
    const doomed = await createProject(graph, owner, org.id, 'Doomed');
    await use(org, kept, { mode: 'LIVE', meter: 'requests', quantity: 2, amount: 2, at: '2026-11-02T00:00:00Z' });
    await use(org, doomed, { mode: 'LIVE', meter: 'requests', quantity: 5, amount: 5, at: '2026-11-02T00:00:00Z' });
    const unknownProjectId = newId('prj');
    await recordUsage(graph, { organizationId: org.id, projectId: unknownProjectId, environmentId: newId('env'), amount: 3, at: new Date('2026-11-02T00:00:00Z') });
    expectOk(
      await graph.request('mutation($input: DeleteProjectInput!) { deleteProject(input: $input) { projectId } }', { input: { projectId: doomed.id, confirmName: 'Doomed' } }, owner.token),
    );

    // No error either: to organizations, a project that is gone is simply no project.
    const usage = expectOk(await graph.request<{ organization: { creditUsage: Report } }>(ORGANIZATION_USAGE, { id: org.id, ...WHOLE_DAYS }, owner.token)).organization.creditUsage;
    expect(usage.total).toBe(10);
    expect(usage.byProject).toEqual([
      { project: null, amount: 5 },
      { project: null, amount: 3 },
      { project: { id: kept.id, name: 'Kept' }, amount: 2 },
    ]);
    expect(usage.byMeter).toEqual([{ meter: 'requests', amount: 10, quantity: 10 }]);
  });
});

describe('the period', () => {
  let org: CreatedOrganization;
  beforeAll(async () => {
    org = await createOrganization(graph, owner, 'Periodic');
    await grantCredits(graph, org.id, 1_000_000);
  });

  const ask = (from: string, to: string) => graph.request<{ organization: { creditUsage: Report } }>(ORGANIZATION_USAGE, { id: org.id, from, to }, owner.token);
  const DAY_MS = 86_400_000;

  it('is at most 400 days long', async () => {
    const from = '2026-01-01T00:00:00Z';
    const longest = new Date(Date.parse(from) + 400 * DAY_MS);
    expect(expectOk(await ask(from, longest.toISOString())).organization.creditUsage.byDay).toHaveLength(400);
    const message = expectError(await ask(from, new Date(longest.getTime() + 1).toISOString()), 'BAD_USER_INPUT', 'to');
    expect(message).toBe('A usage period is at most 400 days long.');
  });

  it('must end after it starts', async () => {
    expectError(await ask('2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z'), 'BAD_USER_INPUT', 'to');
  });
});

describe("the overview's SQL statements", () => {
  it('stay the same with more projects and more events, every breakdown included', async () => {
    const measure = async (organizationId: string) => {
      const { result, statements } = await countStatements<UsageOverview>(graph, USAGE_OVERVIEW, { id: organizationId, ...MID_DAY }, owner.token);
      expect(result.errors).toBeUndefined();
      return { statements, organization: result.data!.organization };
    };

    const small = await createOrganization(graph, owner, 'Small');
    await grantCredits(graph, small.id, 1_000_000);
    const smallProject = await createProject(graph, owner, small.id, 'Only');
    await use(small, smallProject, { mode: 'LIVE', meter: 'requests', quantity: 1, amount: 1, at: '2026-11-02T00:00:00Z' });
    const few = await measure(small.id);

    const large = await createOrganization(graph, owner, 'Large');
    await grantCredits(graph, large.id, 1_000_000);
    const projects: CreatedProject[] = [];
    for (let i = 0; i < 25; i++) projects.push(await createProject(graph, owner, large.id, `Project ${i}`));
    // Events in whole days (daily rollups) and on both cut edge days (hourly rollups), on two meters and in both modes.
    const times = ['2026-11-01T13:00:00Z', '2026-11-02T08:00:00Z', '2026-11-03T11:00:00Z', '2026-11-03T13:00:00Z'];
    for (const project of projects) {
      for (const [index, at] of times.entries()) {
        await use(large, project, { mode: 'LIVE', meter: index % 2 ? 'storage_gb' : 'requests', quantity: 1, amount: 2, at });
        await use(large, project, { mode: 'SANDBOX', meter: 'requests', quantity: 3, amount: 0, at });
      }
    }
    const many = await measure(large.id);

    expect(many.organization.projects.nodes).toHaveLength(25);
    // Three of the four times fall in MID_DAY: 3 LIVE events of 2 credits, and 3 SANDBOX ones of 3 units, in each project.
    expect(many.organization.creditUsage.total).toBe(25 * 3 * 2);
    expect(many.organization.creditUsage.byProject).toHaveLength(25);
    expect(many.organization.creditUsage.byEnvironmentMode).toEqual([
      { mode: 'SANDBOX', amount: 0, quantity: 25 * 3 * 3 },
      { mode: 'LIVE', amount: 25 * 3 * 2, quantity: 25 * 3 },
    ]);
    expect(many.statements).toBe(few.statements);
    console.log(`usage overview SQL statements: ${few.statements} (1 project, 1 event) and ${many.statements} (25 projects, 200 events)`);
  });
});
