// Apollo Server's gateway request context, rebuilt so that V8 shares one hidden class between requests: the same
// object as Apollo Server's own, and in its place.
import path from 'node:path';
import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import { parse } from 'graphql';
import { apolloGatewayRequestContext, gatewayRequestContext, useSharedShapeRequestContext, type MakeGatewayRequestContext } from './gateway-request-context';

type Arguments = Parameters<MakeGatewayRequestContext>;

function requestContext(search: string) {
  const document = parse('query Q { a }');
  return {
    request: { query: 'query Q { a }', operationName: 'Q', variables: { x: 1 }, http: { method: 'POST', search, headers: new HeaderMap([['x-a', '1']]), body: {} } },
    response: { http: { headers: new HeaderMap([['x-out', 'o']]), status: undefined as number | undefined } },
    schema: {},
    contextValue: { caller: 'c' },
    queryHash: 'hash',
    document,
    source: 'query Q { a }',
    operationName: 'Q',
    operation: document.definitions[0],
    errors: [],
    metrics: {},
    overallCachePolicy: {},
    requestIsBatched: false,
  } as unknown as Arguments[0];
}
const server = { logger: console, cache: {} } as unknown as ApolloServer<BaseContext>;
const internals = { includeStacktraceInErrorResponses: false };

/** What a reader of the context sees, the accessors read and the headers listed. */
function seen(made: ReturnType<MakeGatewayRequestContext>) {
  const { request, response, ...rest } = made;
  const { http, ...requestRest } = request;
  return {
    rest,
    request: requestRest,
    http: http && { method: http.method, url: http.url, headers: [...(http.headers as unknown as Iterable<[string, string]>)], a: http.headers.get('x-a'), missing: http.headers.get('x-none') },
    response: { status: response!.http!.status, headers: [...(response!.http!.headers as unknown as Iterable<[string, string]>)] },
  };
}

it('builds what Apollo Server builds, its status and headers written through to the request', () => {
  const apollo = apolloGatewayRequestContext();
  expect(apollo).not.toBe(gatewayRequestContext);
  for (const search of ['', '?a=1', 'a=1']) {
    expect(seen(gatewayRequestContext(requestContext(search), server, internals))).toEqual(seen(apollo(requestContext(search), server, internals)));
    const ours = requestContext(search);
    const made = gatewayRequestContext(ours, server, internals);
    made.response!.http!.status = 418;
    made.response!.http!.headers.append('x-out', 'p');
    made.request.http!.headers.set('x-b', '2');
    expect([ours.response.http.status, ours.response.http.headers.get('x-out'), ours.request.http!.headers.get('x-b')]).toEqual([418, 'o, p', '2']);
  }
});

it('takes the place of Apollo Server\'s own, where its request pipeline reads it', () => {
  expect(useSharedShapeRequestContext()).toBe(true);
  expect(useSharedShapeRequestContext()).toBe(true);
  const file = path.join(path.dirname(require.resolve('@apollo/server')), 'utils', 'makeGatewayGraphQLRequestContext.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect((require(file) as { makeGatewayGraphQLRequestContext: unknown }).makeGatewayGraphQLRequestContext).toBe(gatewayRequestContext);
  // The pipeline that calls it is the one `@apollo/server` loads, and it reads it at each call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pipeline = require('fs').readFileSync(path.join(path.dirname(require.resolve('@apollo/server')), 'requestPipeline.js'), 'utf8') as string;
  expect(pipeline).toMatch(/\(0, makeGatewayGraphQLRequestContext_js_1\.makeGatewayGraphQLRequestContext\)\(/);
});
