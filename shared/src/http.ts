// Serves an Apollo Server over node:http with the few extra routes a service needs (health, metrics, JWKS, explorer).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { ROUTER_SECRET_HEADER } from './auth';
import { currentRequest } from './sql-statements';
import { AppError, ErrorCode } from './errors';
import { logger } from './logger';

const MAX_BODY_BYTES = 1024 * 1024;

// Process metrics (CPU, memory, event-loop lag, GC) and request timings, served at /metrics.
collectDefaultMetrics();
const requestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time to answer HTTP requests, by path and status code.',
  labelNames: ['path', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

/** The request's ID: the caller's x-request-id (the gateway forwards its own to every subgraph), else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  let id = requestIds.get(req);
  if (!id) {
    const header = req.headers['x-request-id'];
    id = typeof header === 'string' && header.length > 0 && header.length <= 200 ? header : randomUUID();
    requestIds.set(req, id);
  }
  return id;
}
const requestIds = new WeakMap<IncomingMessage, string>();

/** Answers a request; returning false declines it, and serve() handles it as usual (GraphQL on /graphql). */
export type Route = (req: IncomingMessage, res: ServerResponse) => void | boolean | Promise<void | boolean>;

export interface ServeOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Builds the request context; an AppError thrown here (a bad credential) becomes a GraphQL error response. */
  context: (req: IncomingMessage) => Promise<TContext>;
  port: number;
  host?: string;
  /** When set, GraphQL requests without this value in the x-router-secret header are refused. */
  routerSecret?: string;
  /** Extra routes by path, answered before GraphQL (GET /.well-known/jwks.json, the explorer page …). */
  routes?: Record<string, Route>;
  /** Routes for other services only: refused without the router secret, like GraphQL. */
  internalRoutes?: Record<string, Route>;
  /** Lets browser apps on these origins call the server (the gateway). Credentials are bearer tokens, never cookies. */
  cors?: { origins: '*' | string[] };
}

const CORS_ALLOWED_HEADERS = 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id';

/** Adds CORS headers for an allowed origin; answers the preflight itself. Returns true when the request is done. */
function applyCors(req: IncomingMessage, res: ServerResponse, origins: '*' | string[]): boolean {
  const origin = req.headers.origin;
  const allowed = origins === '*' ? '*' : origin && origins.includes(origin) ? origin : null;
  if (allowed) {
    res.setHeader('access-control-allow-origin', allowed);
    if (allowed !== '*') res.setHeader('vary', 'origin');
  }
  if (req.method !== 'OPTIONS') return false;
  if (allowed) {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', CORS_ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', '86400');
  }
  res.writeHead(204);
  res.end();
  return true;
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

/** A GraphQL-shaped error response for failures before execution (bad credential, missing router proof). */
export function sendGraphQLError(res: ServerResponse, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { ...extensions, code } }] });
}

function secretMatches(expected: Buffer, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new AppError(ErrorCode.BAD_USER_INPUT, 'The request body is larger than 1 MiB.', { http: { status: 413 } });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(req: IncomingMessage, raw: string): unknown {
  if (raw === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(graphql-response\+)?json/i.test(type)) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'The request body is not valid JSON.', { http: { status: 400 } });
  }
}

export async function serve<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<RunningServer> {
  const { apollo, routes = {} } = options;
  const secret = options.routerSecret ? Buffer.from(options.routerSecret) : null;

  const fromGateway = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!secret || secretMatches(secret, req.headers[ROUTER_SECRET_HEADER])) return true;
    sendGraphQLError(res, 403, ErrorCode.FORBIDDEN, 'This service only accepts requests that come through the gateway.');
    return false;
  };

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!fromGateway(req, res)) return;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = req.method === 'POST' ? parseBody(req, await readBody(req)) : undefined;
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => options.context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const knownPaths = new Set(['/graphql', '/healthz', '/metrics', ...Object.keys(routes), ...Object.keys(options.internalRoutes ?? {})]);
  const server = http.createServer((req, res) => currentRequest.run({ requestId: requestIdOf(req) }, () => handle(req, res)));
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const stopTimer = requestDuration.startTimer();
    if (options.cors && applyCors(req, res, options.cors.origins)) {
      res.once('finish', () => stopTimer({ path: 'preflight', status: '204' }));
      return;
    }
    res.once('finish', () => {
      // Unknown paths share one label, so probing URLs cannot grow the metrics without bound.
      const seconds = stopTimer({ path: knownPaths.has(url.pathname) ? url.pathname : 'other', status: String(res.statusCode) });
      // One line per request, with the ID the gateway passes to every subgraph, to follow a request across services.
      logger.info({ requestId: requestIdOf(req), method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    const internal = options.internalRoutes?.[url.pathname];
    const route: Route | undefined = internal ? (request, response) => (fromGateway(request, response) ? internal(request, response) : undefined) : routes[url.pathname];
    const builtIn = () =>
      url.pathname === '/healthz'
        ? sendJson(res, 200, { status: 'ok' })
        : url.pathname === '/metrics'
          ? register.metrics().then((text) => {
              res.writeHead(200, { 'content-type': register.contentType });
              res.end(text);
            })
          : url.pathname === '/graphql'
            ? handleGraphQL(req, res, url)
            : sendJson(res, 404, { error: 'Not found. The GraphQL endpoint is /graphql.' });
    const work = route ? Promise.resolve(route(req, res)).then((handled) => (handled === false ? builtIn() : undefined)) : builtIn();
    Promise.resolve(work).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof AppError) {
        const status = (error.extensions.http as { status?: number } | undefined)?.status ?? (error.extensions.code === ErrorCode.UNAUTHENTICATED ? 401 : 400);
        const { http: _http, ...extensions } = error.extensions;
        sendJson(res, status, { errors: [{ message: error.message, extensions }] });
        return;
      }
      logger.error({ err: error, path: url.pathname }, 'request failed');
      sendGraphQLError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Something went wrong on our side. Please try again.');
    });
  };
  server.keepAliveTimeout = 65_000;

  await apollo.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
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
