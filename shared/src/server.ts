// serve(): an Apollo Server over node:http, with the few routes every service has (health, metrics) and those it adds.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { answerClientError } from './client-error';
import { applyCors, type CorsOptions } from './cors';
import { AppError, ErrorCode } from './errors';
import { executeGraphQL } from './graphql-request';
import { logger } from './logger';
import { sendMetrics, timeRequest } from './metrics';
import { routerBodyBytes } from './representation-limit';
import { CLIENT_BODY_BYTES } from './request-body';
import { logRequest, requestIdOf } from './request-id';
import { sendGraphQLError, sendJson } from './responses';
import { routerSecretCheck } from './router-secret';
import { asRequest } from './sql-statements';

/** Answers a request; returning false declines it, and serve() handles it as usual (GraphQL on /graphql). */
export type Route = (req: IncomingMessage, res: ServerResponse) => void | boolean | Promise<void | boolean>;

export interface ServeOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Builds the request context; an AppError thrown here (a bad credential) becomes a GraphQL error response. */
  context: (req: IncomingMessage) => Promise<TContext>;
  /** The port to listen on; 0 picks a free one (RunningServer.port says which). */
  port: number;
  /** The address to listen on. Default: 127.0.0.1, this machine only. */
  host?: string;
  /**
   * When set, requests without this value in the x-router-secret header are refused on /metrics, the internal routes
   * and, unless `publicGraphQL`, GraphQL. Default: none, everything open (tests of serve() itself).
   */
  routerSecret?: string;
  /**
   * The largest GraphQL body read from a router, which passes entity representations by the thousand. Default:
   * `routerBodyBytes()`, sized for the default cap on representations. Without `routerSecret`, clients' 1 MiB applies.
   */
  routerBodyBytes?: number;
  /** GraphQL is for every client, not only routers (the gateway). Default: false. */
  publicGraphQL?: boolean;
  /** Extra routes by path, answered before GraphQL (GET /.well-known/jwks.json, the explorer page …). Default: none. */
  routes?: Record<string, Route>;
  /** Routes for other services only: refused without the router secret, like /metrics. Default: none. */
  internalRoutes?: Record<string, Route>;
  /** Lets browser apps on these origins call the server (the gateway). Default: no CORS headers. */
  cors?: CorsOptions;
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const BUILT_IN_PATHS = ['/graphql', '/healthz', '/metrics'];
/** The methods /graphql answers; OPTIONS only says so, or answers a CORS preflight. */
const GRAPHQL_METHODS = 'GET, POST, OPTIONS';
// Longer than the 60 s idle timeout of common load balancers, so they never reuse a connection the server just closed.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function serve<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<RunningServer> {
  const { apollo, routes = {}, internalRoutes = {} } = options;
  const fromRouter = routerSecretCheck(options.routerSecret);
  // Only a service that answers routers alone reads their large bodies; a public endpoint (the gateway) reads clients'.
  const maxBodyBytes = options.routerSecret && !options.publicGraphQL ? (options.routerBodyBytes ?? routerBodyBytes()) : CLIENT_BODY_BYTES;
  // Metrics name routes, volumes and timings: for the operator's scraper, which sends the router secret too.
  const fromScraper = routerSecretCheck(options.routerSecret, 'Metrics are for the operator: send the router secret in the x-router-secret header.');
  // Unknown paths share one metrics label, so probing URLs cannot grow the metrics without bound.
  const knownPaths = new Set([...BUILT_IN_PATHS, ...Object.keys(routes), ...Object.keys(internalRoutes)]);

  const builtIn = (req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void> => {
    switch (url.pathname) {
      case '/healthz':
        return sendJson(res, 200, { status: 'ok' });
      case '/metrics':
        return fromScraper(req, res) ? sendMetrics(res) : undefined;
      case '/graphql':
        if (!options.publicGraphQL && !fromRouter(req, res)) return;
        return req.method === 'GET' || req.method === 'POST'
          ? executeGraphQL(apollo, req, res, url, () => options.context(req), maxBodyBytes)
          : refuseMethod(req, res);
      default:
        return sendGraphQLError(res, 404, ErrorCode.NOT_FOUND, 'There is nothing at this path: the GraphQL endpoint is /graphql.');
    }
  };

  const routeFor = (path: string): Route | undefined => {
    const internal = internalRoutes[path];
    return internal ? (req, res) => (fromRouter(req, res) ? internal(req, res) : undefined) : routes[path];
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const recordTime = timeRequest();
    if (options.cors && applyCors(req, res, options.cors)) {
      res.once('finish', () => recordTime('preflight', 204));
      return;
    }
    res.once('finish', () => {
      const seconds = recordTime(knownPaths.has(url.pathname) ? url.pathname : 'other', res.statusCode);
      logRequest(req, url.pathname, res.statusCode, seconds);
    });
    const route = routeFor(url.pathname);
    const work = route ? Promise.resolve(route(req, res)).then((handled) => (handled === false ? builtIn(req, res, url) : undefined)) : builtIn(req, res, url);
    Promise.resolve(work).catch((error: unknown) => sendError(req, res, error, url.pathname));
  };

  const server = http.createServer((req, res) => asRequest(requestIdOf(req), () => handle(req, res)));
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.on('clientError', answerClientError);

  await apollo.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  }).catch(async (error: unknown) => {
    // The port was taken (EADDRINUSE) or is not ours to bind: nothing of this server is left running.
    await apollo.stop();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}

/**
 * Answers a method /graphql does not serve: OPTIONS (without CORS) with the methods it does, anything else with 405.
 * HEAD gets the 405's headers without its body, as HTTP requires of every answer to HEAD.
 */
function refuseMethod(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { allow: GRAPHQL_METHODS });
    res.end();
    return;
  }
  const message = `The GraphQL endpoint answers GET and POST, not ${req.method}: send the operation with POST (or GET, for queries).`;
  res.setHeader('allow', GRAPHQL_METHODS);
  sendGraphQLError(res, 405, ErrorCode.BAD_REQUEST, message);
}

/**
 * Answers a request that failed outside GraphQL execution: an AppError keeps its code, message and HTTP status
 * (UNAUTHENTICATED is 401, others 400 unless they say otherwise); anything else is logged and becomes a 500.
 */
function sendError(req: IncomingMessage, res: ServerResponse, error: unknown, path: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Refused before its body was read in full (too large): close the connection once answered, rather than keep it
  // open for the rest of a body nobody will read, which would also hold up stop().
  if (!req.complete) res.setHeader('connection', 'close');
  if (error instanceof AppError) {
    const status = (error.extensions.http as { status?: number } | undefined)?.status ?? (error.extensions.code === ErrorCode.UNAUTHENTICATED ? 401 : 400);
    const { http: _http, ...extensions } = error.extensions;
    sendJson(res, status, { errors: [{ message: error.message, extensions }] });
    return;
  }
  logger.error({ err: error, path }, 'request failed');
  sendGraphQLError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Something went wrong on our side. Please try again.');
}
