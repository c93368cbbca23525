// Every subgraph bounds its own work: a request with the router secret still cannot nest without end, ask for
// entities by the hundred thousand or make it send an answer of any size, and the process answers the next request.
import { randomBytes } from 'node:crypto';
import { Lexer, Source, TokenKind } from 'graphql';
import { MAX_BATCH_OPERATIONS, ROUTER_SECRET_HEADER, sqlStatementsFor } from '@orgapi/shared';
import { asRouter, codes, createOrganization, createProject, expectOk, signUp, startGraph, startReplica, type Api, type CreatedOrganization, type CreatedProject, type SignedInUser, type TestGraph } from './harness';

let graph: TestGraph;
let owner: SignedInUser;
let org: CreatedOrganization;
let project: CreatedProject;
let organizations: Api;

beforeAll(async () => {
  // These tests are about the limits between and inside the services, so the cost budget (test/cost-limits.test.ts)
  // is lifted: every query the other limits admit must then work.
  graph = await startGraph({ env: { MAX_QUERY_COST: '100000000', COST_PER_MINUTE: '0' } });
  owner = await signUp(graph);
  org = await createOrganization(graph, owner);
  project = await createProject(graph, owner, org.id);
  organizations = asRouter(graph, graph.subgraphs.organizations.url);
});
afterAll(() => graph?.stop());

/** `project { organization { projects(first: 100) { nodes { … } } } }`, the three levels repeated `times`, then `leaf`. */
function nestedProjects(times: number, leaf = 'id'): string {
  let selection = leaf;
  for (let i = 0; i < times; i++) selection = `organization { projects(first: 100) { nodes { ${selection} } } }`;
  return `query($id: ID!) { project(id: $id) { ${selection} } }`;
}

/** Lexical tokens, as graphql-js's `maxTokens` counts them. */
function tokenCount(document: string): number {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

/** Sends `query` as a router would, with the owner's token, and says how many SQL statements it cost. */
async function asOwnerViaRouter(query: string, variables: Record<string, unknown>) {
  const requestId = `limits-${randomBytes(6).toString('hex')}`;
  const response = await organizations.send(query, variables, { authorization: `Bearer ${owner.token}`, 'x-request-id': requestId });
  return { response, statements: sqlStatementsFor(requestId) };
}

const stillAnswers = async () => {
  const response = await organizations.request<{ project: { id: string } }>('query($id: ID!) { project(id: $id) { id } }', { id: project.id }, owner.token);
  expect(response.data?.project).toEqual({ id: project.id });
};

describe('a subgraph, called with the router secret', () => {
  it('refuses a query nested 30 levels deep before running any of it, and answers the next request', async () => {
    const { response, statements } = await asOwnerViaRouter(nestedProjects(10), { id: project.id });
    expect(response.status).toBe(400);
    expect(codes(response)).toContain('QUERY_TOO_COMPLEX');
    const refusal = response.errors!.find((error) => error.extensions?.code === 'QUERY_TOO_COMPLEX')!;
    expect(refusal.message).toBe('This query nests 32 fields deep; this service answers at most 15. Ask for less nested data.');
    expect(refusal.extensions).toMatchObject({ depth: 32, maxDepth: 15 });
    expect(response.data).toBeUndefined();
    // At most identity's check that the session is live: the query itself sent nothing to the database.
    expect(statements).toBeLessThanOrEqual(1);
    await stillAnswers();
  });

  it('refuses a document longer than any query plan while parsing it', async () => {
    const response = await organizations.request(`{ ${'__typename '.repeat(20_001)}}`);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(response.errors![0].message).toMatch(/20000 tokens/);
    await stillAnswers();
  });

  it('resolves 20,000 entities in one request, and refuses one more', async () => {
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { id } } }';
    const representations = (count: number) => Array.from({ length: count }, () => ({ __typename: 'Organization', id: org.id }));

    const atCap = await organizations.request<{ _entities: { id: string }[] }>(entities, { r: representations(20_000) }, owner.token);
    expect(atCap.errors).toBeUndefined();
    expect(atCap.data!._entities).toHaveLength(20_000);

    const { response, statements } = await asOwnerViaRouter(entities, { r: representations(20_001) });
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      {
        message: 'This request asks for 20,001 entities; this service resolves at most 20,000 per request.',
        extensions: { code: 'REQUEST_TOO_LARGE', representations: 20_001, maxRepresentations: 20_000 },
      },
    ]);
    expect(statements).toBeLessThanOrEqual(1);
    await stillAnswers();
  });

  it('counts representations however the request spells them, with aliases and fragments', async () => {
    const half = Array.from({ length: 10_001 }, () => ({ __typename: 'Organization', id: org.id }));
    const response = await organizations.request(
      'query($a: [_Any!]!, $b: [_Any!]!) { a: _entities(representations: $a) { __typename } ...More } fragment More on Query { b: _entities(representations: $b) { __typename } }',
      { a: half, b: half },
      owner.token,
    );
    expect(codes(response)).toEqual(['REQUEST_TOO_LARGE']);
  });
});

describe('a batch of operations from a router', () => {
  const post = (operations: unknown[]) =>
    fetch(new URL('/graphql', graph.subgraphs.organizations.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}`, [ROUTER_SECRET_HEADER]: graph.routerSecret },
      body: JSON.stringify(operations),
    });

  it('is answered operation by operation, in order, with one context (what our gateway sends: subgraph-batch.ts)', async () => {
    const response = await post([{ query: 'query($id: ID!) { project(id: $id) { id } }', variables: { id: project.id } }, { query: '{ viewerOrganizations: __typename }' }]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ data: { project: { id: project.id } } }, { data: { viewerOrganizations: 'Query' } }]);
  });

  it(`is refused whole, with HTTP 413, when it carries more than ${MAX_BATCH_OPERATIONS} operations or none`, async () => {
    for (const operations of [Array.from({ length: MAX_BATCH_OPERATIONS + 1 }, () => ({ query: '{ __typename }' })), []]) {
      const response = await post(operations);
      expect(response.status).toBe(413);
      expect(JSON.stringify(await response.json())).toContain('REQUEST_TOO_LARGE');
    }
  });
});

describe('a subgraph asked for an answer larger than it sends', () => {
  it('answers a clear RESPONSE_TOO_LARGE error instead, and answers the next request', async () => {
    const small = await startReplica(graph, 'organizations', { MAX_RESPONSE_BYTES: '10000' });
    try {
      const router = asRouter(graph, small.url);
      const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { id slug name } } }';
      const representations = (count: number) => Array.from({ length: count }, () => ({ __typename: 'Organization', id: org.id }));

      expect(expectOk(await router.request<{ _entities: unknown[] }>(entities, { r: representations(10) }, owner.token))._entities).toHaveLength(10);
      const tooLarge = await router.request(entities, { r: representations(1_000) }, owner.token);
      expect(tooLarge.status).toBe(400);
      expect(tooLarge.errors).toEqual([
        {
          message: 'The answer to this request is larger than this service sends (9.8 KiB). Ask for fewer items or fields.',
          extensions: { code: 'RESPONSE_TOO_LARGE', maxResponseBytes: 10_000 },
        },
      ]);
      expect(tooLarge.data).toBeUndefined();
      expect(expectOk(await router.request<{ _entities: unknown[] }>(entities, { r: representations(10) }, owner.token))._entities).toHaveLength(10);
    } finally {
      await small.stop();
    }
  });
});

describe('the limits of every subgraph', () => {
  const period = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };

  it('pass the deepest queries the gateway admits, within one subgraph and across all three', async () => {
    // 12 fields deep, the gateway's limit, all in organizations.
    expect(expectOk(await graph.request(nestedProjects(3, 'organization { id }'), { id: project.id }, owner.token))).toBeTruthy();
    // 12 fields deep through identity, organizations and billing, with entity fetches at depths 1, 7 and 10.
    const across = `query($from: DateTime!, $to: DateTime!) { viewer { memberships { nodes { organization { members { nodes { user {
      memberships { nodes { organization { creditUsage(from: $from, to: $to) { total } } } } } } } } } } } }`;
    expect(expectOk(await graph.request(across, period, owner.token))).toBeTruthy();
  });

  it("pass a query as long as the gateway's token limit allows, whose plan reaches all three", async () => {
    const usage = 'creditUsage(from: $from, to: $to) { total byDay { date amount } }';
    const selection = `id slug name viewerRole viewerPermissions createdAt creditBalance { available granted used } ${usage}
      members(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id role user { id email name } } } nodes { id role user { id email name } } }
      projects(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id name createdAt viewerPermissions } }
        nodes { id name createdAt viewerPermissions ${usage} environments { id mode configuration createdAt viewerPermissions ${usage} } } }`;
    const aliases = Array.from({ length: 30 }, (_, i) => `o${i}: organization(id: $id) { ${selection} }`).join('\n');
    const query = `query($id: ID!, $from: DateTime!, $to: DateTime!) { ${aliases} }`;
    expect(tokenCount(query)).toBeGreaterThan(4_900);
    expect(tokenCount(query)).toBeLessThanOrEqual(5_000);
    expect(expectOk(await graph.request(query, { id: org.id, ...period }, owner.token))).toBeTruthy();
  });
});
