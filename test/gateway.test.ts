// The gateway is the only way in: subgraphs refuse anything without its proof, and browsers get the explorer.
import path from 'node:path';
import { gatewayEnv, startGateway } from '@orgapi/gateway';
import { identityEndpoints, ROUTER_SECRET_HEADER, SUBGRAPH_NAMES, type RunningServer } from '@orgapi/shared';
import {
  asRouter,
  codes,
  createOrganization,
  expectNoInternals,
  postGraphQL,
  signUp,
  startGatewayReplica,
  startGraph,
  subgraphUrls,
  type CreatedOrganization,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
let owner: SignedInUser;
let org: CreatedOrganization;

beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph);
  org = await createOrganization(graph, owner);
});
afterAll(() => graph?.stop());

describe('a request made straight to a subgraph', () => {
  const forgedBalance = {
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { creditBalance { available } } } }',
    variables: { r: [{ __typename: 'Organization', id: 'org_x', viewerPermissions: ['billing:read'] }] },
  };

  it.each(SUBGRAPH_NAMES)('is refused by %s without the router secret', async (name) => {
    const response = await postGraphQL(graph.subgraphs[name].url, { query: '{ __typename }' }, { authorization: `Bearer ${owner.token}` });
    expect(response.status).toBe(403);
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('cannot forge entity representations with made-up permissions', async () => {
    const response = await postGraphQL(graph.subgraphs.billing.url, forgedBalance, { authorization: `Bearer ${owner.token}` });
    expect(response.status).toBe(403);
    expect(response.data).toBeUndefined();
  });

  it('is refused with a forged principal header, which no service reads', async () => {
    const forged = { 'x-user-id': owner.id, 'x-principal': JSON.stringify({ userId: owner.id }) };
    const without = await postGraphQL(graph.subgraphs.organizations.url, { query: `{ organization(id: "${org.id}") { id } }` }, forged);
    expect(without.status).toBe(403);
    // Even with the router secret, a header naming a user proves nothing: only a verified credential does.
    const withSecret = await asRouter(graph, graph.subgraphs.organizations.url).send(`{ organization(id: "${org.id}") { id } }`, undefined, forged);
    expect(codes(withSecret)).toEqual(['UNAUTHENTICATED']);
    expect(withSecret.data).toEqual({ organization: null });
  });

  it("can't ask identity about sessions or tokens without the router secret, and gets a clear 400 for a bad question", async () => {
    const introspect = identityEndpoints(graph.subgraphs.identity.port).INTROSPECTION_URL;
    const anonymous = await fetch(introspect, { method: 'POST', body: JSON.stringify({ token: 'pat_guess' }) });
    expect(anonymous.status).toBe(403);
    // A NUL would reach PostgreSQL; an unpaired surrogate is not text (JSON.stringify writes it as an escape).
    for (const body of ['not json', '{}', '[]', JSON.stringify({ sessionId: 'ses_\u0000' }), JSON.stringify({ token: 'pat_\uD800' }), JSON.stringify({ ['\u0000']: 1 })]) {
      const response = await fetch(introspect, { method: 'POST', headers: { [ROUTER_SECRET_HEADER]: graph.routerSecret }, body });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('is refused with a wrong router secret', async () => {
    const response = await postGraphQL(graph.subgraphs.billing.url, forgedBalance, { [ROUTER_SECRET_HEADER]: 'x'.repeat(graph.routerSecret.length) });
    expect(response.status).toBe(403);
  });

  it('is answered with the router secret, as the gateway sends it', async () => {
    const response = await asRouter(graph, graph.subgraphs.organizations.url).request('{ __typename }');
    expect(response).toMatchObject({ status: 200, data: { __typename: 'Query' } });
  });
});

describe('the gateway', () => {
  it('resolves the same organization from every subgraph that knows it', async () => {
    const response = await graph.request<{ organization: { id: string; creditBalance: { available: number }; members: { nodes: { user: { email: string } }[] } } }>(
      'query($id: ID!) { organization(id: $id) { id creditBalance { available } members { nodes { user { email } } } } }',
      { id: org.id },
      owner.token,
    );
    expect(response.data?.organization).toEqual({ id: org.id, creditBalance: { available: 0 }, members: { nodes: [{ user: { email: owner.email } }] } });
  });

  it("shapes each answer by the request's own variables, though it builds a query's operation once", async () => {
    // The same document three times, its @include and @skip flipped by variables and its fields renamed by aliases:
    // the gateway keeps the operation it shapes answers with (gateway/src/operation-cache.ts), never a shaped answer.
    const query = `query($id: ID!, $withMembers: Boolean!, $hideBalance: Boolean!) {
      organization(id: $id) {
        key: id
        creditBalance @skip(if: $hideBalance) { available }
        ...Members @include(if: $withMembers)
      }
    }
    fragment Members on Organization { members { nodes { user { email } } } }`;
    const ask = (withMembers: boolean, hideBalance: boolean) =>
      graph.request<{ organization: Record<string, unknown> }>(query, { id: org.id, withMembers, hideBalance }, owner.token);
    expect((await ask(true, false)).data?.organization).toEqual({ key: org.id, creditBalance: { available: 0 }, members: { nodes: [{ user: { email: owner.email } }] } });
    expect((await ask(false, true)).data?.organization).toEqual({ key: org.id });
    expect((await ask(false, false)).data?.organization).toEqual({ key: org.id, creditBalance: { available: 0 } });
  });

  it('serves an offline GraphiQL explorer to browsers at / and /graphql', async () => {
    for (const path of ['/', '/graphql']) {
      const response = await fetch(new URL(path, graph.url), { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toMatch(/graphiql/i);
      // Everything is inlined: no script or stylesheet comes from another host.
      expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/i);
    }
  });

  it('gives pages on other origins no CORS permission unless origins are configured', async () => {
    const preflight = await fetch(graph.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
  });

  // Browsers send Origin on a same-origin POST too, and need no CORS permission for it.
  it("answers the explorer's own requests, which are same-origin and need no CORS", async () => {
    const explorer = await (await fetch(new URL('/', graph.url), { headers: { accept: 'text/html' } })).text();
    expect(explorer).toMatch(/"endpoint":\s*"\/graphql"/);
    const response = await fetch(graph.url, {
      method: 'POST',
      headers: { origin: new URL(graph.url).origin, 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(await response.json()).toEqual({ data: { viewer: { id: owner.id } } });
  });

  it('still answers GraphQL GET requests at /graphql', async () => {
    const response = await fetch(`${graph.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('a gateway serving the committed supergraph file', () => {
  let gateway: RunningServer;
  beforeAll(async () => {
    gateway = await startGatewayReplica(graph, { SUPERGRAPH_FILE: path.resolve(__dirname, '../schema/supergraph.graphql') });
  });
  afterAll(() => gateway?.stop());

  // The file names the subgraphs at 127.0.0.1:4001-4003, where `npm start` puts them; these run elsewhere, as in
  // containers, and the URL variables say where.
  it('reaches each subgraph at its configured URL, not the one written in the file', async () => {
    const result = await postGraphQL<{ viewer: unknown }>(
      gateway.url,
      { query: '{ viewer { id memberships(first: 1) { nodes { organization { id creditBalance { available } } } } } }' },
      { authorization: `Bearer ${owner.token}` },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.viewer).toMatchObject({ id: owner.id, memberships: { nodes: [{ organization: { id: org.id, creditBalance: { available: expect.any(Number) } } }] } });
  });
});

describe('a gateway configured with CORS_ORIGINS', () => {
  let gateway: RunningServer;
  let anyOrigin: RunningServer;
  beforeAll(async () => {
    const env = { ROUTER_SECRET: graph.routerSecret, HOST: '127.0.0.1', PORT: '0', ...identityEndpoints(graph.subgraphs.identity.port), ...subgraphUrls(graph.subgraphs) };
    gateway = await startGateway(gatewayEnv.parse({ ...env, CORS_ORIGINS: 'https://app.example.com' }));
    anyOrigin = await startGateway(gatewayEnv.parse({ ...env, CORS_ORIGINS: '*' }));
  });
  afterAll(async () => {
    await gateway?.stop();
    await anyOrigin?.stop();
  });

  const preflight = (url: string, origin: string) =>
    fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

  it('lets browser apps on those origins call it with a bearer token', async () => {
    const answer = await preflight(gateway.url, 'https://app.example.com');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(answer.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { origin: 'https://app.example.com', 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(await response.json()).toEqual({ data: { viewer: { id: owner.id } } });
    expect((await preflight(gateway.url, 'https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });

  // Sandboxed frames and local files send `Origin: null`, and any page can open one.
  it('never allows the origin null, not even when configured with *', async () => {
    expect((await preflight(anyOrigin.url, 'https://any.example.com')).headers.get('access-control-allow-origin')).toBe('*');
    expect((await preflight(anyOrigin.url, 'null')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('doors closed by default', () => {
  const everyService = () => [['gateway', graph.url] as const, ...SUBGRAPH_NAMES.map((name) => [name, graph.subgraphs[name].url] as const)];
  const routerHeaders = () => ({ [ROUTER_SECRET_HEADER]: graph.routerSecret });

  it('serves /metrics on no service without the router secret', async () => {
    for (const [name, url] of everyService()) {
      for (const headers of [{}, { [ROUTER_SECRET_HEADER]: 'x'.repeat(graph.routerSecret.length) }] as Record<string, string>[]) {
        const response = await fetch(new URL('/metrics', url), { headers });
        const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
        expect([name, response.status, body.errors[0].extensions.code]).toEqual([name, 403, 'FORBIDDEN']);
      }
    }
  });

  it('answers a 100 KB Authorization header with 431 and a JSON body, on every service', async () => {
    for (const [name, url] of everyService()) {
      const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${'x'.repeat(100_000)}`, 'content-type': 'application/json' }, body: '{}' });
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect([name, response.status, body.errors[0].extensions.code]).toEqual([name, 431, 'BAD_REQUEST']);
      expect(body.errors[0].message).toMatch(/headers are larger than 16 KiB/);
      expectNoInternals(response.status, body);
    }
  });

  // HTTP forbids a body in an answer to HEAD, so the 405 says everything in its status and headers.
  it('answers HEAD /graphql with 405, the methods it allows and no body, on every service', async () => {
    for (const [name, url] of everyService()) {
      const response = await fetch(url, { method: 'HEAD', headers: { accept: 'application/json', ...routerHeaders() } });
      expect([name, response.status, response.headers.get('allow')]).toEqual([name, 405, 'GET, POST, OPTIONS']);
      expect(await response.text()).toBe('');
    }
  });

  it('answers a path it does not serve with 404 NOT_FOUND in JSON, on every service', async () => {
    for (const [name, url] of everyService()) {
      const response = await fetch(new URL('/wp-admin', url));
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect([name, response.status, body.errors[0].extensions.code]).toEqual([name, 404, 'NOT_FOUND']);
    }
  });

  it.each(['PUT', 'DELETE', 'PATCH'])('answers %s /graphql with 405 and a JSON body saying which methods work', async (method) => {
    for (const [name, url] of everyService()) {
      const response = await fetch(url, { method, headers: { 'content-type': 'application/json', ...routerHeaders() }, body: '{}' });
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect([name, response.status, response.headers.get('allow'), body.errors[0].extensions.code]).toEqual([name, 405, 'GET, POST, OPTIONS', 'BAD_REQUEST']);
      expect(body.errors[0].message).toMatch(new RegExp(`answers GET and POST, not ${method}`));
    }
  });
});

describe('operations', () => {
  it('every service reports request timings, SQL statements and process metrics to a scraper with the router secret', async () => {
    await graph.request('{ viewer { id } }', {}, owner.token);
    const text = await (await fetch(new URL('/metrics', graph.url), { headers: { [ROUTER_SECRET_HEADER]: graph.routerSecret } })).text();
    expect(text).toMatch(/^http_request_duration_seconds_count\{path="\/graphql",status="200"\} [1-9]/m);
    expect(text).toMatch(/^db_statements_total\{schema="identity"\} [1-9]/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it('answers health checks without a token or the router secret', async () => {
    for (const url of [graph.url, ...SUBGRAPH_NAMES.map((name) => graph.subgraphs[name].url)]) {
      const response = await fetch(new URL('/healthz', url));
      expect(await response.json()).toEqual({ status: 'ok' });
    }
  });
});

describe('query limits', () => {
  const deep = (levels: number) => {
    let selection = 'id';
    for (let i = 0; i < levels; i++) selection = `memberships { nodes { organization { members { nodes { user { ${selection} } } } } } }`;
    return `{ viewer { ${selection} } }`;
  };

  it('refuses a query nested far deeper than any screen needs, before running it', async () => {
    const response = await graph.request(deep(3), {}, owner.token);
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0].message).toMatch(/depth/i);
  });

  it('refuses a flood of aliases', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: viewer { id }`).join(' ');
    const response = await graph.request(`{ ${aliases} }`, {}, owner.token);
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0].message).toMatch(/alias/i);
  });

  it('refuses an absurdly long document while parsing it', async () => {
    const response = await graph.request(`{ viewer { ${'id '.repeat(6000)}} }`, {}, owner.token);
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('still answers the deepest real queries and full introspection', async () => {
    expect((await graph.request(deep(1), {}, owner.token)).errors).toBeUndefined();
    const introspection = await graph.request<{ __schema: { types: unknown[] } }>(
      `{ __schema { types { name fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }`,
    );
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data?.__schema.types.length).toBeGreaterThan(20);
  });
});
