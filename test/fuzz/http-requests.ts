// Whole HTTP requests: valid operations as a client posts them, and hostile ones with odd methods, paths, headers,
// content types, query strings and bodies, with and without credentials and the router secret.
import fc from 'fast-check';
import { ROUTER_SECRET_HEADER } from '@orgapi/shared';
import type { RawRequest } from './exchange';
import { hostileBodies, type Body, type BodySources } from './hostile-bodies';
import type { GeneratedOperation } from './operations';

/** The credentials the fuzz holds: the signed-in user's, and the router's. */
export interface Credentials {
  /** Authorization header values of the signed-in user: a session's access token, a personal access token. */
  authorizations: string[];
  routerSecret: string;
}

const JSON_TYPE = 'application/json';

/** A valid operation as a client posts it, or as a GET for a query (with the header that passes CSRF prevention). */
export function operationRequest(op: GeneratedOperation, headers: [string, string][], asGet: boolean): RawRequest {
  if (asGet && op.kind === 'query') {
    return { method: 'GET', path: `/graphql?${searchOf(op)}`, headers: [...headers, ['apollo-require-preflight', 'true']] };
  }
  const body = JSON.stringify({ query: op.query, variables: op.variables, operationName: op.operationName });
  return { method: 'POST', path: '/graphql', headers: [['content-type', JSON_TYPE], ...headers], body };
}

function searchOf(op: GeneratedOperation): string {
  const params = new URLSearchParams({ query: op.query });
  if (Object.keys(op.variables).length > 0) params.set('variables', JSON.stringify(op.variables));
  if (op.operationName) params.set('operationName', op.operationName);
  return params.toString();
}

// ── Hostile requests ─────────────────────────────────────────────────────────────────────────────

const METHODS = fc.oneof(
  { weight: 6, arbitrary: fc.constant('POST') },
  { weight: 3, arbitrary: fc.constant('GET') },
  { weight: 3, arbitrary: fc.constantFrom('HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH') },
);

const PATHS = [
  '/',
  '/healthz',
  '/metrics',
  '/internal/introspect',
  '/.well-known/jwks.json',
  '/graphql/',
  '//graphql',
  '/GRAPHQL',
  '/graphql?',
  '/graphql#x',
  '/nope',
  '/%',
  '/%00',
  '/graphql%00',
  '/..%2f..%2fetc%2fpasswd',
  '/graphql;a=b',
  `/${'a'.repeat(20_000)}`,
];

const QUERY_STRING_GARBAGE = ['query=%', 'query=%E0%A4%A', 'query=%00', 'query=%ED%A0%80', 'query={__typename}&query={__typename}', 'variables=%7B', 'query={__typename}&variables=[]', 'query={__typename}&extensions=x', 'a=b&'.repeat(5000)];

const paths = (operations: fc.Arbitrary<GeneratedOperation>) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant('/graphql') },
    { weight: 2, arbitrary: fc.constantFrom(...PATHS) },
    { weight: 3, arbitrary: operations.map((op) => `/graphql?${searchOf(op)}`) },
    { weight: 1, arbitrary: fc.constantFrom(...QUERY_STRING_GARBAGE).map((q) => `/graphql?${q}`) },
  );

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/graphql-response+json',
  'application/graphql',
  'application/jsonx',
  'text/plain',
  'text/plain;charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  'application/json, text/html',
];
const contentTypes = fc.oneof(
  { weight: 6, arbitrary: fc.constant<[string, string][]>([['content-type', JSON_TYPE]]) },
  { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES).map((value): [string, string][] => [['content-type', value]]) },
  { weight: 1, arbitrary: fc.constant<[string, string][]>([]) },
);

// Well-formed-looking tokens that prove nothing: no signature, alg "none", another issuer's format.
const FORGED_TOKENS = ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c3JfeCJ9.', 'eyJhbGciOiJFUzI1NiJ9.e30.AAAA', 'a.b.c', `pat_${'a'.repeat(43)}`, 'pat_'];
const authorizations = (credentials: Credentials) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...credentials.authorizations) },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.constantFrom(...FORGED_TOKENS).map((token) => `Bearer ${token}`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...credentials.authorizations).chain((good) =>
        fc.constantFrom(`${good}x`, good.slice(0, -1), good.replace('Bearer ', 'bearer '), good.replace('Bearer ', 'Basic '), `${good} ${good}`, good.replace(' ', '  ')),
      ),
    },
    { weight: 2, arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==', 'Bearer \u00e9', `Bearer ${'a'.repeat(5000)}`) },
    // Far past Node's 16 KiB limit on headers (finding 7 of issue 8): rare, as every one is answered alike.
    { weight: 1, arbitrary: fc.constant(`Bearer ${'a'.repeat(100_000)}`) },
  );

const secrets = (credentials: Credentials) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant([credentials.routerSecret]) },
    { weight: 3, arbitrary: fc.constant([]) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        ['x'.repeat(credentials.routerSecret.length)],
        [`${credentials.routerSecret}x`],
        [credentials.routerSecret.slice(0, -1)],
        [''],
        [credentials.routerSecret, credentials.routerSecret],
        [credentials.routerSecret.toUpperCase()],
      ),
    },
  );

/** Header values a client may send that no service expects: long, latin-1, lists, lies about the body. */
const ODD_HEADERS: [string, string][] = [
  ['x-request-id', 'x'.repeat(10_000)],
  ['x-request-id', '../../etc/passwd'],
  ['x-request-id', 'é\u00ff'],
  ['x-request-id', ''],
  ['x-forwarded-for', '1.2.3.4, <script>, ::1, not-an-address'],
  ['x-forwarded-for', Array.from({ length: 500 }, () => '10.0.0.1').join(', ')],
  ['user-agent', 'u'.repeat(8000)],
  ['user-agent', ''],
  ['accept', 'text/html'],
  ['accept', 'application/graphql-response+json'],
  ['accept', 'nope/nope'],
  ['accept', 'application/json;q=0'],
  ['apollo-require-preflight', 'true'],
  ['x-apollo-operation-name', 'Op1'],
  ['origin', 'null'],
  ['origin', 'https://evil.example'],
  ['access-control-request-method', 'POST'],
  ['content-encoding', 'gzip'],
  ['content-encoding', 'br'],
  ['accept-encoding', 'gzip, br'],
  ['expect', '100-continue'],
  ['range', 'bytes=0-1'],
  ['connection', 'upgrade'],
  ['upgrade', 'websocket'],
  ['transfer-encoding', 'chunked'],
  ['host', 'evil.example'],
  ['cookie', 'a=b'.repeat(1000)],
  ['x-big', 'b'.repeat(9000)],
];
/** Headers past Node's 16 KiB limit: all answered alike, so drawn rarely. */
const OVERSIZED_HEADERS: [string, string][] = [
  ['x-big', 'b'.repeat(17_000)],
  ['x-big', 'b'.repeat(70_000)],
];
const oddHeaders = fc.oneof(
  // One of each name: a repeated framing header (two transfer-encodings) is refused by Node's HTTP parser itself.
  { weight: 12, arbitrary: fc.uniqueArray(fc.constantFrom(...ODD_HEADERS), { maxLength: 3, selector: ([name]) => name }) },
  { weight: 1, arbitrary: fc.constantFrom(...OVERSIZED_HEADERS).map((header) => [header]) },
  { weight: 1, arbitrary: fc.constantFrom(50, 500).map((n) => Array.from({ length: n }, (_, i): [string, string] => [`x-h${i}`, String(i)])) },
);

/**
 * A hostile request to one service, built from its own valid operations. Half are a hostile body in a proper
 * envelope (POST /graphql, JSON, the user's credential, the router secret), so that they reach GraphQL itself;
 * the rest vary everything: method, path, content type, credential, router secret, headers and body.
 */
export function hostileRequest(sources: BodySources, credentials: Credentials): fc.Arbitrary<RawRequest> {
  const bodies: fc.Arbitrary<Body | undefined> = fc.oneof(
    { weight: 6, arbitrary: hostileBodies(sources) },
    { weight: 2, arbitrary: sources.operations.map((op) => JSON.stringify({ query: op.query, variables: op.variables, operationName: op.operationName })) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const proper = fc
    .record({ authorization: fc.constantFrom(...credentials.authorizations, null), body: hostileBodies(sources) })
    .map(({ authorization, body }): RawRequest => ({
      method: 'POST',
      path: '/graphql',
      headers: [
        ['content-type', JSON_TYPE],
        ...(authorization === null ? [] : [['authorization', authorization] as [string, string]]),
        [ROUTER_SECRET_HEADER, credentials.routerSecret],
      ],
      body,
    }));
  const anything = fc
    .record({
      method: METHODS,
      path: paths(sources.operations),
      contentType: contentTypes,
      authorization: authorizations(credentials),
      secret: secrets(credentials),
      odd: oddHeaders,
      body: bodies,
    })
    .map(({ method, path, contentType, authorization, secret, odd, body }) => ({
      method,
      path,
      headers: [
        ...contentType,
        ...(authorization === null ? [] : [['authorization', authorization] as [string, string]]),
        ...secret.map((value): [string, string] => [ROUTER_SECRET_HEADER, value]),
        ...odd,
      ],
      body,
    }));
  return fc.oneof(proper, anything);
}
