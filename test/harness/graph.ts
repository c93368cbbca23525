// Starts the whole graph in this test process: the subgraphs and the gateway on a fresh database, random ports.
import { randomBytes } from 'node:crypto';
import {
  countStatementsPerRequest,
  dataChangeChannel,
  dropSchemaOwners,
  identityEndpoints,
  organizationsEndpoints,
  provisionListenerRole,
  provisionSchemaOwners,
  ROUTER_SECRET_HEADER,
  sqlStatementsFor,
  SUBGRAPH_NAMES,
  SUBGRAPHS,
  type RunningSubgraph,
  type SubgraphName,
} from '@orgapi/shared';
import { identityEnv, startIdentity } from '@orgapi/identity';
import { organizationsEnv, startOrganizations } from '@orgapi/organizations';
import { billingEnv, startBilling } from '@orgapi/billing';
import { gatewayEnv, startGateway } from '@orgapi/gateway';
import { apiAt, type Api, type GraphQLResponse } from './api';
import { withConnection } from './database';
import { freePort, isAddressInUse } from './ports';

// The tests assert how many statements a request sends: count them per request, as production does not.
countStatementsPerRequest();

/** The graph a test file runs against; as an `Api`, it is the gateway. */
export interface TestGraph extends Api {
  /** The test database, as its administrator: for tests that look at what no service may. */
  databaseUrl: string;
  /** Each subgraph's own connection URL (its role owns only its schema). */
  serviceUrls: Record<string, string>;
  routerSecret: string;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  stop(): Promise<void>;
}

type Env = Record<string, string>;

// Every subgraph of the list, and how this process starts it from its environment.
const START: Record<SubgraphName, (env: Env) => Promise<RunningSubgraph>> = {
  identity: async (env) => startIdentity(identityEnv.parse(env)),
  organizations: async (env) => startOrganizations(organizationsEnv.parse(env)),
  billing: async (env) => startBilling(billingEnv.parse(env)),
};

/** What every service of a test graph is started with: the router secret, a random local port, a small pool. */
const serviceEnv = (routerSecret: string, poolSize: number): Env => ({
  ROUTER_SECRET: routerSecret,
  HOST: '127.0.0.1',
  PORT: '0',
  DATABASE_POOL_SIZE: String(poolSize),
});

/** The server's administrator, for creating and dropping each test file's database. */
function serverAdminUrl(): string {
  const url = process.env.ORGAPI_TEST_ADMIN_URL;
  if (!url) throw new Error('ORGAPI_TEST_ADMIN_URL is not set: run the tests through jest (globalSetup starts the database).');
  return url;
}

/** The address billing takes for a platform operator's in every test graph, once verified (see harness/billing.ts). */
export const PLATFORM_OPERATOR_EMAIL = 'operator@platform.test';

/** How long services other than identity trust an answer about a session: a revocation reaches them within it. */
export const CREDENTIAL_CACHE_SECONDS = 1;

/** Where each subgraph listens, in the variables a router's configuration reads. */
export const subgraphUrls = (subgraphs: Record<SubgraphName, RunningSubgraph>): Env =>
  Object.fromEntries(SUBGRAPHS.map((subgraph) => [subgraph.urlVariable, subgraphs[subgraph.name].url]));

export interface GraphOptions {
  /** Environment every service starts with on top of the test defaults, such as SMTP_URL. */
  env?: Env;
  /** Extra environment for one service, such as smaller quotas for organizations. */
  serviceEnv?: Partial<Record<SubgraphName | 'gateway', Env>>;
}

/**
 * Starts every subgraph, identity first (the others verify credentials against it). Identity and billing verify the
 * claims organizations signs, from its JWKS, so organizations' port is chosen before any starts; if another test took
 * it in the meantime, everything started is stopped and the start is tried again on another port.
 */
async function startSubgraphs(routerSecret: string, urls: Record<string, string>, options: GraphOptions, attempt = 1) {
  const organizationsPort = await freePort();
  const common = { ...serviceEnv(routerSecret, 5), ...organizationsEndpoints(organizationsPort), ...options.env };
  const identity = await START.identity({ ...common, DATABASE_URL: urls.identity, ...options.serviceEnv?.identity });
  const verification = { ...identityEndpoints(identity.port), CREDENTIAL_CACHE_SECONDS: String(CREDENTIAL_CACHE_SECONDS) };
  const others = SUBGRAPH_NAMES.filter((name) => name !== 'identity');
  const results = await Promise.allSettled(
    others.map((name) =>
      START[name]({
        ...common,
        ...verification,
        DATABASE_URL: urls[name],
        ...(name === 'organizations' ? { PORT: String(organizationsPort) } : {}),
        ...(name === 'billing' ? { PLATFORM_OPERATORS: PLATFORM_OPERATOR_EMAIL } : {}),
        ...options.serviceEnv?.[name],
      }),
    ),
  );
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await Promise.all(results.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
    await identity.stop();
    if (isAddressInUse(failure.reason) && attempt < 5) return startSubgraphs(routerSecret, urls, options, attempt + 1);
    throw failure.reason;
  }
  const started = results.map((result) => (result as PromiseFulfilledResult<RunningSubgraph>).value);
  const subgraphs = { identity, ...Object.fromEntries(others.map((name, i) => [name, started[i]])) } as Record<SubgraphName, RunningSubgraph>;
  return { identity, started, subgraphs, common, verification };
}

export async function startGraph(options: GraphOptions = {}): Promise<TestGraph> {
  const database = `orgapi_test_${randomBytes(6).toString('hex')}`;
  await withConnection(serverAdminUrl(), (client) => client.query(`CREATE DATABASE ${database}`));
  const databaseUrl = new URL(serverAdminUrl());
  databaseUrl.pathname = `/${database}`;
  // Each subgraph connects as its own role that owns only its schema, as in production.
  const urls = await provisionSchemaOwners(databaseUrl.toString(), database, SUBGRAPH_NAMES);
  // The gateway only listens for revocations: a role that can connect and nothing else.
  const gatewayListenerUrl = await provisionListenerRole(databaseUrl.toString(), database, 'gateway');
  const routerSecret = randomBytes(24).toString('hex');
  const { identity, started, subgraphs, common, verification } = await startSubgraphs(routerSecret, urls, options);
  const gateway = await startGateway(
    gatewayEnv.parse({ ...common, ...verification, ...subgraphUrls(subgraphs), REVOCATIONS_DATABASE_URL: gatewayListenerUrl, ...options.serviceEnv?.gateway }),
  );

  return {
    ...apiAt(gateway.url),
    databaseUrl: databaseUrl.toString(),
    serviceUrls: urls,
    routerSecret,
    subgraphs,
    async stop() {
      await gateway.stop();
      await Promise.all(started.map((subgraph) => subgraph.stop()));
      await identity.stop();
      await withConnection(serverAdminUrl(), (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
      await dropSchemaOwners(serverAdminUrl(), database, [...SUBGRAPH_NAMES, 'gateway']);
    },
  };
}

/** A subgraph (or a replica of one) addressed directly, as a router does: with the router secret. */
export const asRouter = (graph: TestGraph, url: string): Api => apiAt(url, { [ROUTER_SECRET_HEADER]: graph.routerSecret });

/** The environment of another process of subgraph `name` on the graph's database, as another replica of one deployment. */
export const replicaEnv = (graph: TestGraph, name: SubgraphName, extra: Env = {}): Env => ({
  ...serviceEnv(graph.routerSecret, 2),
  ...(name === 'identity' ? {} : identityEndpoints(graph.subgraphs.identity.port)),
  ...organizationsEndpoints(graph.subgraphs.organizations.port),
  DATABASE_URL: graph.serviceUrls[name],
  ...extra,
});

/** Starts another process of subgraph `name` on the graph's database, with settings of its own; the caller stops it. */
export const startReplica = (graph: TestGraph, name: SubgraphName, extra: Env = {}) => START[name](replicaEnv(graph, name, extra));

/** The environment of a second identity process on the graph's database. */
export const identityReplicaEnv = (graph: TestGraph, extra: Env = {}): Env => replicaEnv(graph, 'identity', extra);

/** Starts a second identity process on the graph's database; the caller stops it. */
export const startIdentityReplica = (graph: TestGraph, extra: Env = {}) => startReplica(graph, 'identity', extra);

/** Starts another gateway in front of the graph's subgraphs, as a second replica of one deployment; the caller stops it. */
export const startGatewayReplica = (graph: TestGraph, extra: Env = {}) =>
  startGateway(
    gatewayEnv.parse({
      ...serviceEnv(graph.routerSecret, 2),
      ...identityEndpoints(graph.subgraphs.identity.port),
      CREDENTIAL_CACHE_SECONDS: String(CREDENTIAL_CACHE_SECONDS),
      ...subgraphUrls(graph.subgraphs),
      ...extra,
    }),
  );

/**
 * Sends one request through the gateway and counts the SQL statements every subgraph sent for it (they share the
 * gateway's x-request-id); background work in the same processes is not counted.
 */
export async function countStatements<T>(
  graph: TestGraph,
  query: string,
  variables: Record<string, unknown>,
  token: string,
  options: { warm?: boolean } = {},
): Promise<{ result: GraphQLResponse<T>; statements: number }> {
  // Cold by default: what the request costs when no read is kept from an earlier one (shared/src/prepared-reads.ts).
  if (!options.warm) await forgetKeptReads(graph);
  const requestId = `count-${randomBytes(8).toString('hex')}`;
  const result = await graph.send<T>(query, variables, { authorization: `Bearer ${token}`, 'x-request-id': requestId });
  return { result, statements: sqlStatementsFor(requestId) };
}

/**
 * Makes every service drop the reads it kept, as a change to every schema would: the next request reads PostgreSQL
 * (its barrier hears the notification first).
 */
export async function forgetKeptReads(graph: TestGraph): Promise<void> {
  await graph.subgraphs.organizations.db.query(
    `SELECT pg_notify(channel, '') FROM unnest($1::text[]) AS channel`,
    [SUBGRAPH_NAMES.map((name) => dataChangeChannel(name))],
  );
}
