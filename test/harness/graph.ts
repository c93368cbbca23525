// Starts the whole graph in this test process: three subgraphs and the gateway on a fresh database, random ports.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropSchemaOwners, provisionSchemaOwners, sqlStatementsFor, type RunningSubgraph } from '@orgapi/shared';

const SCHEMAS = ['identity', 'organizations', 'billing'];
import { identityEnv, startIdentity } from '@orgapi/identity';
import { organizationsEnv, startOrganizations } from '@orgapi/organizations';
import { billingEnv, startBilling } from '@orgapi/billing';
import { gatewayEnv, startGateway } from '@orgapi/gateway';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestGraph {
  url: string;
  /** The test database, as its administrator: for tests that look at what no service may. */
  databaseUrl: string;
  /** Each subgraph's own connection URL (its role owns only its schema). */
  serviceUrls: Record<string, string>;
  routerSecret: string;
  subgraphs: { identity: RunningSubgraph; organizations: RunningSubgraph; billing: RunningSubgraph };
  /** Sends a GraphQL request to the gateway, with `token` as the bearer credential if given. */
  request<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export async function postGraphQL<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  let json: Omit<GraphQLResponse<T>, 'status'>;
  try {
    json = JSON.parse(text) as Omit<GraphQLResponse<T>, 'status'>;
  } catch {
    throw new Error(`Not JSON (HTTP ${response.status}): ${text.slice(0, 300)}`);
  }
  return { status: response.status, ...json };
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const url = process.env.ORGAPI_TEST_ADMIN_URL;
  if (!url) throw new Error('ORGAPI_TEST_ADMIN_URL is not set: run the tests through jest (globalSetup starts the database).');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** How long services other than identity trust an answer about a session: a revocation reaches them within it. */
export const CREDENTIAL_CACHE_SECONDS = 1;

export async function startGraph(): Promise<TestGraph> {
  const database = `orgapi_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${database}`));
  const databaseUrl = new URL(process.env.ORGAPI_TEST_ADMIN_URL as string);
  databaseUrl.pathname = `/${database}`;
  // Each subgraph connects as its own role that owns only its schema, as in production.
  const urls = await provisionSchemaOwners(databaseUrl.toString(), database, SCHEMAS);
  const routerSecret = randomBytes(24).toString('hex');
  const common = { ROUTER_SECRET: routerSecret, HOST: '127.0.0.1', PORT: '0', DATABASE_POOL_SIZE: '5' };

  const identity = await startIdentity(identityEnv.parse({ ...common, DATABASE_URL: urls.identity }));
  const verification = {
    JWKS_URL: `http://127.0.0.1:${identity.port}/.well-known/jwks.json`,
    INTROSPECTION_URL: `http://127.0.0.1:${identity.port}/internal/introspect`,
    CREDENTIAL_CACHE_SECONDS: String(CREDENTIAL_CACHE_SECONDS),
  };
  const [organizations, billing] = await Promise.all([
    startOrganizations(organizationsEnv.parse({ ...common, ...verification, DATABASE_URL: urls.organizations })),
    startBilling(billingEnv.parse({ ...common, ...verification, DATABASE_URL: urls.billing })),
  ]);
  const gateway = await startGateway(
    gatewayEnv.parse({
      ...common,
      ...verification,
      IDENTITY_URL: identity.url,
      ORGANIZATIONS_URL: organizations.url,
      BILLING_URL: billing.url,
    }),
  );

  return {
    url: gateway.url,
    databaseUrl: databaseUrl.toString(),
    serviceUrls: urls,
    routerSecret,
    subgraphs: { identity, organizations, billing },
    request: (query, variables, token) => postGraphQL(gateway.url, { query, variables }, token ? { authorization: `Bearer ${token}` } : {}),
    async stop() {
      await gateway.stop();
      await Promise.all([organizations.stop(), billing.stop()]);
      await identity.stop();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
      await dropSchemaOwners(process.env.ORGAPI_TEST_ADMIN_URL as string, database, SCHEMAS);
    },
  };
}

/**
 * Sends one request through the gateway and counts the SQL statements every subgraph sent for it (they share the
 * gateway's x-request-id); background work in the same processes is not counted.
 */
export async function countStatements<T>(
  graph: TestGraph,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<{ result: GraphQLResponse<T>; statements: number }> {
  const requestId = `count-${randomBytes(8).toString('hex')}`;
  const result = await postGraphQL<T>(graph.url, { query, variables }, { authorization: `Bearer ${token}`, 'x-request-id': requestId });
  return { result, statements: sqlStatementsFor(requestId) };
}
