// Cost limits: the gateway prices each operation from `first` through nesting, refuses those over budget before any
// subgraph runs them, charges the rest to the caller per minute; each subgraph applies the same budget on its own.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { DEFAULT_MAX_QUERY_COST, ROUTER_SECRET_HEADER, sqlStatementsFor, type RunningServer } from '@orgapi/shared';
import {
  apiAt,
  asRouter,
  createOrganization,
  createProject,
  expectError,
  expectOk,
  freePort,
  OVERVIEW,
  signUp,
  startGatewayReplica,
  startGraph,
  type CreatedOrganization,
  type SignedInUser,
  type TestGraph,
} from './harness';

const MAX_QUERY_COST = DEFAULT_MAX_QUERY_COST;
const month = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };
const year = { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };

/** Issue 8, finding 2: three levels of 50 projects, reached through each project's organization. */
const THREE_LEVELS_OF_50 = `query($id: ID!) { organization(id: $id) { projects(first: 50) { nodes { organization {
  projects(first: 50) { nodes { organization { projects(first: 50) { nodes { id name } } } } } } } } } }`;

/** Issue 8, finding 2: 50 × 50 projects, each with a year of usage by day. */
const FIFTY_BY_FIFTY_WITH_A_YEAR = `query($id: ID!, $from: DateTime!, $to: DateTime!) { organization(id: $id) { projects(first: 50) { nodes {
  organization { projects(first: 50) { nodes { creditUsage(from: $from, to: $to) { total byDay { date amount } } } } } } } } }`;

let graph: TestGraph;
let owner: SignedInUser;
let org: CreatedOrganization;
beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph, 'Olivia Owner');
  org = await createOrganization(graph, owner, 'Acme Corp');
  await createProject(graph, owner, org.id, 'Checkout');
});
afterAll(() => graph?.stop());

/** Sends as `token` with a fresh request ID, and counts the SQL statements any subgraph ran for the request. */
async function sendCounted(query: string, variables: Record<string, unknown>, token: string) {
  const requestId = `cost-${randomBytes(8).toString('hex')}`;
  const response = await graph.send(query, variables, { authorization: `Bearer ${token}`, 'x-request-id': requestId });
  return { response, statements: sqlStatementsFor(requestId) };
}

describe('cost analysis at the gateway', () => {
  it.each([
    ['three levels of 50 projects', THREE_LEVELS_OF_50, {}],
    ['50 × 50 projects with a year of usage by day', FIFTY_BY_FIFTY_WITH_A_YEAR, year],
  ])('refuses %s before any subgraph runs it, saying the cost and the limit', async (_name, query, variables) => {
    const { response, statements } = await sendCounted(query, { id: org.id, ...variables }, owner.token);
    const message = expectError(response, 'QUERY_TOO_COMPLEX');
    expect(response.status).toBe(400);
    const { cost, limit } = response.errors![0].extensions as { cost: number; limit: number };
    expect(limit).toBe(MAX_QUERY_COST);
    expect(cost).toBeGreaterThan(5 * MAX_QUERY_COST);
    expect(message).toContain(cost.toLocaleString('en-US'));
    expect(message).toContain(MAX_QUERY_COST.toLocaleString('en-US'));
    expect(statements).toBe(0);
  });

  it('answers the overview of 100 members and 100 projects with their usage', async () => {
    const { response, statements } = await sendCounted(OVERVIEW, { slug: org.slug, ...month }, owner.token);
    expectOk(response);
    expect(statements).toBeGreaterThan(0);
  });

  it('counts list sizes from the variables: the same nesting with small pages is answered', async () => {
    const query = THREE_LEVELS_OF_50.replaceAll('first: 50', 'first: $first').replace('query($id: ID!)', 'query($id: ID!, $first: Int)');
    expectError(await graph.request(query, { id: org.id, first: 50 }, owner.token), 'QUERY_TOO_COMPLEX');
    expectOk(await graph.request(query, { id: org.id, first: 5 }, owner.token));
  });

  it('answers the explorer’s introspection query', async () => {
    expectOk(await graph.request(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true })));
  });
});

describe('cost per minute, per caller', () => {
  // Three overviews fit (1,914 each), a fourth does not.
  const budget = { MAX_QUERY_COST: '6000', COST_PER_MINUTE: '6000' };
  let gateway: RunningServer;
  beforeAll(async () => {
    gateway = await startGatewayReplica(graph, budget);
  });
  afterAll(() => gateway?.stop());

  /** The overview over plain HTTP, to see the status and headers too. */
  const overview = (slug: string, token?: string) =>
    fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: OVERVIEW, variables: { slug, ...month } }),
    });

  it('refuses a user who spent the minute’s budget with RATE_LIMITED, HTTP 429 and Retry-After, and no one else', async () => {
    const spender = await signUp(graph, 'Sam Spender');
    const other = await signUp(graph, 'Olga Other');
    const spenderOrg = await createOrganization(graph, spender, 'Spender Inc');
    const ask = (user: SignedInUser) => apiAt(gateway.url).request(OVERVIEW, { slug: spenderOrg.slug, ...month }, user.token);
    for (let i = 0; i < 3; i++) expectOk(await ask(spender));

    const refused = await ask(spender);
    const message = expectError(refused, 'RATE_LIMITED');
    expect(refused.status).toBe(429);
    const { retryAfterSeconds } = refused.errors![0].extensions as { retryAfterSeconds: number };
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(message).toMatch(/6,000/);

    const response = await overview(spenderOrg.slug, spender.token);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);

    // Another user's budget is their own (they are not a member: NOT_FOUND, but answered).
    expect((await ask(other)).status).toBe(200);
  });

  it('charges anonymous requests to their client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await overview(org.slug)).status);
    // Anonymous, the overview is answered with UNAUTHENTICATED errors, but priced and charged all the same.
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('keeps counting on its own when Redis is unreachable, instead of refusing everyone', async () => {
    const isolated = await startGatewayReplica(graph, { ...budget, REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      const user = await signUp(graph, 'Una Unshared');
      const ask = () => apiAt(isolated.url).request('{ viewer { id } }', {}, user.token);
      expectOk(await ask());
      const expensive = (first: number) => apiAt(isolated.url).request(`{ viewer { memberships(first: ${first}) { nodes { organization { projects(first: 100) { nodes { id } } } } } } }`, {}, user.token);
      expectOk(await expensive(50));
      expectError(await expensive(50), 'RATE_LIMITED');
    } finally {
      await isolated.stop();
    }
  });
});

// Redis at REDIS_URL, else the one this project's machines and CI run; probed once, synchronously, so jest can skip.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisReachable = (() => {
  const { hostname, port } = new URL(REDIS_URL);
  const probe = `require('net').connect(${Number(port || 6379)}, ${JSON.stringify(hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 3000 }).status === 0;
})();

(redisReachable ? describe : describe.skip)(`cost per minute shared through Redis (skipped when no Redis answers at ${REDIS_URL}; set REDIS_URL)`, () => {
  const shared = { MAX_QUERY_COST: '6000', COST_PER_MINUTE: '6000', REDIS_URL };
  let first: RunningServer;
  let second: RunningServer;
  beforeAll(async () => {
    [first, second] = await Promise.all([startGatewayReplica(graph, shared), startGatewayReplica(graph, shared)]);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('a budget spent on one gateway replica is spent on the other', async () => {
    const user = await signUp(graph, 'Rita Replicas');
    const userOrg = await createOrganization(graph, user, 'Replicas Ltd');
    const ask = (gateway: RunningServer) => apiAt(gateway.url).request(OVERVIEW, { slug: userOrg.slug, ...month }, user.token);
    expectOk(await ask(first));
    expectOk(await ask(second));
    expectOk(await ask(first));
    expectError(await ask(second), 'RATE_LIMITED');
    expectError(await ask(first), 'RATE_LIMITED');
  });
});

describe('every subgraph defends its own cost budget', () => {
  it('refuses finding 1’s nesting sent straight to organizations with the router secret', async () => {
    const project = await createProject(graph, owner, org.id, 'Nested');
    const nested = `query($id: ID!) { project(id: $id) { organization { projects(first: 100) { nodes { organization {
      projects(first: 100) { nodes { organization { projects(first: 100) { nodes { id } } } } } } } } } } }`;
    const response = await asRouter(graph, graph.subgraphs.organizations.url).request(nested, { id: project.id }, owner.token);
    expectError(response, 'QUERY_TOO_COMPLEX');
    expect(response.errors![0].extensions).toMatchObject({ limit: MAX_QUERY_COST });
  });

  it('prices _entities per representation: a thousand projects with a year of usage by day are refused by billing', async () => {
    const representations = Array.from({ length: 1000 }, (_, i) => ({ __typename: 'Project', id: `prj_${i}`, viewerPermissions: [] }));
    const query = `query($representations: [_Any!]!, $from: DateTime!, $to: DateTime!) { _entities(representations: $representations) {
      ... on Project { creditUsage(from: $from, to: $to) { total byDay { date amount } } } } }`;
    const response = await fetch(graph.subgraphs.billing.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ROUTER_SECRET_HEADER]: graph.routerSecret, authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query, variables: { representations, ...year } }),
    });
    const body = (await response.json()) as { errors?: { extensions?: Record<string, unknown> }[] };
    expect(response.status).toBe(400);
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 1000 * (1 + 10 + 400), limit: MAX_QUERY_COST });
  });
});
