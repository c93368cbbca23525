// The request context Apollo Server hands a `gateway`'s executor, made without a hidden class of its own per request.
//
// Every service runs Apollo Server in gateway mode: the gateway with @apollo/gateway, each subgraph with graphql-jit
// (compiled-execution.ts). For each operation Apollo Server calls its internal makeGatewayGraphQLRequestContext,
// whose `response.http` is an object literal with a getter and a setter for `status` that close over the request.
// V8 gives every such object a map (hidden class) of its own, and maps live in the old generation: a dead map still
// points at that request's closures, and through them at its whole object graph, until the next mark-compact. So the
// scavenger kept every request that had ended as if it were alive, and promoted it: measured with `--trace-gc`, each
// subgraph alone answering the demo-sized overview's requests promoted 6.4-12 MB per scavenge, against 1.3-1.4 MB
// with graphql-js in schema mode, and each promotion copies onto fresh pages (17 us a page fault on this machine). A
// bare Apollo Server in gateway mode answering 5 users, 10 connections: 3.5-3.7 MB promoted per scavenge, pauses of
// 15-21 ms, 20-21k requests in 8 s; built as below, 0.5 MB, 4-6 ms, 27-28k.
//
// Same object, same behaviour, built from classes whose accessors sit on their prototypes: useSharedShapeRequestContext
// puts it in the place of Apollo Server's (its CommonJS module, which requestPipeline.js reads at each call).
// gateway-request-context.test.ts checks both against each other, and that the replacement is in place.
import path from 'node:path';
import type { ApolloServer, ApolloServerOptions, BaseContext, GraphQLRequestContextExecutionDidStart } from '@apollo/server';

type Gateway = NonNullable<Extract<ApolloServerOptions<BaseContext>, { gateway?: unknown }>['gateway']>;
type GatewayGraphQLRequestContext = Parameters<NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>>[0];
type RequestContext = GraphQLRequestContextExecutionDidStart<BaseContext>;
type HeaderMap = RequestContext['response']['http']['headers'];
interface Internals {
  includeStacktraceInErrorResponses: boolean;
}
export type MakeGatewayRequestContext = (requestContext: RequestContext, server: ApolloServer<BaseContext>, internals: Internals) => GatewayGraphQLRequestContext;

/** A fetch-style Headers over Apollo Server's HeaderMap, as Apollo's own FetcherHeadersForHeaderMap. */
class HeadersOfMap {
  constructor(private readonly map: HeaderMap) {}
  append(name: string, value: string): void {
    this.map.set(name, this.map.has(name) ? `${this.map.get(name)}, ${value}` : value);
  }
  delete(name: string): void {
    this.map.delete(name);
  }
  get(name: string): string | null {
    return this.map.get(name) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name);
  }
  set(name: string, value: string): void {
    this.map.set(name, value);
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/** `response.http`: the headers, and a status read from and written to the request's own. */
class ResponseHttp {
  readonly headers: HeadersOfMap;
  constructor(private readonly http: RequestContext['response']['http']) {
    this.headers = new HeadersOfMap(http.headers);
  }
  get status(): number | undefined {
    return this.http.status;
  }
  set status(status: number | undefined) {
    this.http.status = status;
  }
}

const REQUEST_FIELDS = ['query', 'operationName', 'variables', 'extensions'] as const;

/** Apollo Server's makeGatewayGraphQLRequestContext (5.x), field for field. */
export const gatewayRequestContext: MakeGatewayRequestContext = (requestContext, server, internals) => {
  const request: Record<string, unknown> = {};
  for (const field of REQUEST_FIELDS) if (field in requestContext.request) request[field] = requestContext.request[field];
  const http = requestContext.request.http;
  if (http) {
    const needQuestion = http.search !== '' && !http.search.startsWith('?');
    request.http = { method: http.method, url: `https://unknown-url.invalid/${needQuestion ? '?' : ''}${http.search}`, headers: new HeadersOfMap(http.headers) };
  }
  return {
    request,
    response: { http: new ResponseHttp(requestContext.response.http) },
    logger: server.logger,
    schema: requestContext.schema,
    schemaHash: 'schemaHash no longer exists since Apollo Server 4',
    context: requestContext.contextValue,
    cache: server.cache,
    queryHash: requestContext.queryHash,
    document: requestContext.document,
    source: requestContext.source,
    operationName: requestContext.operationName,
    operation: requestContext.operation,
    errors: requestContext.errors,
    metrics: requestContext.metrics,
    debug: internals.includeStacktraceInErrorResponses,
    overallCachePolicy: requestContext.overallCachePolicy,
    requestIsBatched: requestContext.requestIsBatched,
  } as unknown as GatewayGraphQLRequestContext;
};

interface ApolloModule {
  makeGatewayGraphQLRequestContext: MakeGatewayRequestContext;
}

/** Apollo Server's own module (CommonJS, the copy `require('@apollo/server')` loads), and its function as it shipped. */
function apolloModule(): { module: ApolloModule; original: MakeGatewayRequestContext } {
  const file = path.join(path.dirname(require.resolve('@apollo/server')), 'utils', 'makeGatewayGraphQLRequestContext.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(file) as ApolloModule;
  return { module, original: shipped.get(module) ?? module.makeGatewayGraphQLRequestContext };
}
const shipped = new WeakMap<object, MakeGatewayRequestContext>();

/**
 * Makes Apollo Server build gateway request contexts with gatewayRequestContext; false when its module is not where
 * Apollo Server 5 keeps it (then nothing changes, and the test says so). Idempotent.
 */
export function useSharedShapeRequestContext(): boolean {
  let found: ReturnType<typeof apolloModule>;
  try {
    found = apolloModule();
  } catch {
    return false;
  }
  if (typeof found.original !== 'function') return false;
  shipped.set(found.module, found.original);
  found.module.makeGatewayGraphQLRequestContext = gatewayRequestContext;
  return true;
}

/** Apollo Server's function as it shipped, for the test that compares the two. */
export function apolloGatewayRequestContext(): MakeGatewayRequestContext {
  return apolloModule().original;
}
