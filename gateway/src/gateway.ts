// Starts the gateway: composes the subgraphs, refuses bad credentials, and forwards each request with the router's proof.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
// Before @apollo/gateway loads: it then reads federation-internals' exports without a getter each (federation-exports.ts).
import './federation-exports';
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  CredentialVerifier,
  RevocationListener,
  formatError,
  logger,
  operationChecks,
  stringifyInChunks,
  requestIdOf,
  serve,
  SUBGRAPHS,
  type ApiKeyCaller,
  type Principal,
  type RunningServer,
  useSharedShapeRequestContext,
} from '@orgapi/shared';
import type { GatewayConfig } from './config';
import { serveExplorer } from './explorer';
import { runningOneOperation } from './operation-document';
import { noReservedAliases } from './reserved-aliases';
import { keepAliveFetcher } from './fetcher';
import { SubgraphDataSource, type ForwardedContext } from './subgraph-data-source';
import { batchingFetcher } from './subgraph-batch';
import { useCachedOperations } from './operation-cache';
import { operationCost } from './operation-cost';

export interface GatewayContext extends ForwardedContext {
  requestId: string;
  /** The address the request came from, whose cost budget an anonymous request spends. */
  clientAddress?: string;
  principal: Principal | null;
  /** A machine client's API key: budgets are counted per key. */
  apiKey: ApiKeyCaller | null;
}

function forwardedFor(req: IncomingMessage): string | undefined {
  const previous = req.headers['x-forwarded-for'];
  const address = req.socket.remoteAddress;
  if (!address) return typeof previous === 'string' ? previous : undefined;
  return typeof previous === 'string' && previous !== '' ? `${previous}, ${address}` : address;
}

function prefersHtml(req: IncomingMessage): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && /\btext\/html\b/i.test(req.headers.accept ?? '');
}

/**
 * @apollo/gateway reports usage metrics to Apollo and, to label them, probes the cloud metadata services (AWS, GCP,
 * Azure, Alibaba at 169.254.169.254) unless APOLLO_TELEMETRY_DISABLED is set. An API should not call out to anyone
 * its operator did not choose: it is off unless APOLLO_TELEMETRY_DISABLED=false is set explicitly.
 */
function disableApolloTelemetryUnlessChosen(): void {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  if (process.env.APOLLO_TELEMETRY_DISABLED === 'false') delete process.env.APOLLO_TELEMETRY_DISABLED;
}

export async function startGateway(config: GatewayConfig): Promise<RunningServer> {
  disableApolloTelemetryUnlessChosen();
  // Apollo Server's request context for @apollo/gateway's executor, without a hidden class per request.
  useSharedShapeRequestContext();
  // The Operation executeQueryPlan shapes answers with, built once per parsed query (operation-cache.ts).
  useCachedOperations();
  const fetcher = keepAliveFetcher(config.SUBGRAPH_TIMEOUT_MS);
  // One client request's simultaneous fetches to a subgraph travel as one batch (subgraph-batch.ts).
  const send = batchingFetcher(fetcher.fetch);
  // With a database to listen on, a revoked credential gets its 401 here on the very next request; without one, within
  // CREDENTIAL_CACHE_SECONDS (the subgraphs, which listen, refuse it at once either way).
  const revocations = config.REVOCATIONS_DATABASE_URL ? new RevocationListener(config.REVOCATIONS_DATABASE_URL) : undefined;
  await revocations?.start();
  const verifier = CredentialVerifier.remote({
    jwksUrl: config.JWKS_URL,
    introspectionUrl: config.INTROSPECTION_URL,
    keyIntrospectionUrl: config.KEY_INTROSPECTION_URL,
    routerSecret: config.ROUTER_SECRET,
    cacheSeconds: config.CREDENTIAL_CACHE_SECONDS,
    revocations,
  });
  const urlOf = (name: string) => {
    const subgraph = SUBGRAPHS.find((s) => s.name === name);
    return subgraph ? config[subgraph.urlVariable] : undefined;
  };
  const gateway = new ApolloGateway({
    supergraphSdl: config.SUPERGRAPH_FILE
      ? await readFile(config.SUPERGRAPH_FILE, 'utf8')
      : new IntrospectAndCompose({
          subgraphs: SUBGRAPHS.map(({ name, urlVariable }) => ({ name, url: config[urlVariable] })),
        }),
    // Each subgraph at its configured URL, also when serving a supergraph file, whose URLs are where they listen under
    // `npm start` (a container reaches them by another name).
    buildService: ({ name, url }) => new SubgraphDataSource(name, urlOf(name) ?? url!, send, config.ROUTER_SECRET),
    logger,
  });
  // Queries the API will never need are refused before planning: too deep, too many aliases, too long; cost, which
  // counts list sizes, is operationCost's below. The limits leave room for every real query (the overview is depth 5);
  // introspection is exempt from depth, and priced like any operation.
  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    maxAliases: { n: 30 },
    // Its cost grows with depth alone, not with list sizes: operationCost prices lists from `first` instead.
    costLimit: { enabled: false },
    // graphql-js's own parser limits tokens (parseOptions below): armor's re-parse turns syntax errors into HTTP 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: 50 },
    // Introspection is open, so "did you mean …?" hints reveal nothing more and help people exploring.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const cost = operationCost(gateway, config);
  const apollo = new ApolloServer<GatewayContext>({
    gateway: runningOneOperation(gateway),
    formatError,
    stringifyResult: stringifyInChunks,
    introspection: true,
    csrfPrevention: true,
    logger,
    validationRules: [...armor.validationRules, noReservedAliases],
    parseOptions: { maxTokens: 5_000 },
    allowBatchedHttpRequests: false,
    // Apollo's default landing page loads from a CDN; the explorer route below replaces it.
    // The checks come first: the plugins after them may assume an operation that resolved and text that is text.
    plugins: [operationChecks(), ...armor.plugins, cost.plugin, ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
    // The process entry point decides how to shut down; Apollo's own handlers would exit before the HTTP server drains.
    stopOnTerminationSignals: false,
  });

  let server: RunningServer;
  try {
    server = await serve({
      apollo,
      port: config.PORT,
      host: config.HOST,
      // Anyone may send GraphQL to the gateway; only /metrics needs the router secret here.
      routerSecret: config.ROUTER_SECRET,
      publicGraphQL: true,
      cors: { origins: config.CORS_ORIGINS },
      // Verifying here, before Apollo plans the query, means a bad credential never reaches a subgraph.
      context: async (req) => {
        const authorization = req.headers.authorization;
        const userAgent = req.headers['user-agent'];
        return {
          authorization,
          userAgent,
          requestId: requestIdOf(req),
          forwardedFor: forwardedFor(req),
          clientAddress: req.socket.remoteAddress,
          ...(await verifier.verifyCaller(authorization)),
        };
      },
      routes: {
        // Anything but a browser gets serve()'s usual 404.
        '/': (req: IncomingMessage, res: ServerResponse) => (prefersHtml(req) ? serveExplorer(req, res) : false),
        // A browser opening /graphql gets the explorer; a GraphQL request (GET with ?query=, or POST) goes on to Apollo.
        '/graphql': (req: IncomingMessage, res: ServerResponse) =>
          prefersHtml(req) && !new URL(req.url ?? '/', 'http://localhost').searchParams.has('query') ? serveExplorer(req, res) : false,
      },
    });
  } catch (error) {
    await gateway.stop();
    await cost.stop();
    await revocations?.stop();
    await fetcher.destroy();
    throw error;
  }

  return {
    ...server,
    async stop() {
      await server.stop();
      await gateway.stop();
      await cost.stop();
      await revocations?.stop();
      await fetcher.destroy();
    },
  };
}
