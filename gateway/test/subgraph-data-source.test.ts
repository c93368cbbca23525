// What the gateway sends a subgraph for one fetch of a plan, and what it makes of the answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ROUTER_SECRET_HEADER } from '@orgapi/shared';
import { keepAliveFetcher, type KeepAliveFetcher } from '../src/fetcher';
import { SubgraphDataSource, type ForwardedContext } from '../src/subgraph-data-source';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let server: http.Server;
let url: string;
let received: Received[];
let answer: { status: number; type?: string; body: string };
let fetcher: KeepAliveFetcher;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  fetcher = keepAliveFetcher(2_000);
});

afterAll(async () => {
  await fetcher.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received = [];
  answer = { status: 200, body: JSON.stringify({ data: { ok: true } }) };
});

const billing = () => new SubgraphDataSource('billing', url, fetcher.fetch, 'the-router-secret');

function fetchOf(context: Partial<ForwardedContext>, request: Partial<GraphQLDataSourceProcessOptions['request']> = {}): GraphQLDataSourceProcessOptions<Partial<ForwardedContext>> {
  return {
    // A schema load (GraphQLDataSourceRequestKind.LOADING_SCHEMA, an enum @apollo/gateway does not export).
    kind: 'loading schema' as GraphQLDataSourceProcessOptions['kind'] & 'loading schema',
    request: { query: 'query Q($name: String) { _entities(name: $name) { __typename } }', variables: { name: 'Zoë 東京' }, operationName: 'Q', ...request },
    context,
  };
}

describe('SubgraphDataSource', () => {
  it("sends the operation as JSON with the router's proof and the caller's headers, and the right length for any text", async () => {
    const context = { authorization: 'Bearer caller', requestId: 'req_1', forwardedFor: '203.0.113.9, 127.0.0.1', userAgent: 'Explorer/1' };
    const response = await billing().process(fetchOf(context));
    expect(response.data).toEqual({ ok: true });
    const [sent] = received;
    expect(JSON.parse(sent.body.toString('utf8'))).toEqual({ query: expect.stringContaining('_entities'), variables: { name: 'Zoë 東京' }, operationName: 'Q' });
    expect(Number(sent.headers['content-length'])).toBe(sent.body.length);
    expect(sent.headers).toMatchObject({
      'content-type': 'application/json',
      [ROUTER_SECRET_HEADER]: 'the-router-secret',
      authorization: 'Bearer caller',
      'x-request-id': 'req_1',
      'x-forwarded-for': '203.0.113.9, 127.0.0.1',
      'user-agent': 'Explorer/1',
    });
  });

  it("sends the secret without a caller (schema loading), and keeps the planner's headers without letting them replace it", async () => {
    const planner = new Headers({ 'apollo-federation-include-trace': 'ftv1', [ROUTER_SECRET_HEADER]: 'not-this-one' });
    await billing().process(fetchOf({}, { http: { method: 'POST', url, headers: planner as never } }));
    const [sent] = received;
    expect(sent.headers[ROUTER_SECRET_HEADER]).toBe('the-router-secret');
    expect(sent.headers['apollo-federation-include-trace']).toBe('ftv1');
    expect(sent.headers.authorization).toBeUndefined();
  });

  it('passes on the refusals that are the client’s doing as they are: a variable only the subgraph checks, an ended credential', async () => {
    for (const code of ['BAD_USER_INPUT', 'UNAUTHENTICATED']) {
      answer = { status: 400, body: JSON.stringify({ errors: [{ message: 'Expected a DateTime.', extensions: { code } }] }) };
      await expect(billing().process(fetchOf({}))).rejects.toMatchObject({ message: 'Expected a DateTime.', extensions: { code } });
    }
  });

  it("turns any other refusal into an internal error naming the subgraph, for the gateway's log", async () => {
    answer = { status: 413, body: JSON.stringify({ errors: [{ message: 'Too many representations.', extensions: { code: 'REQUEST_TOO_LARGE' } }] }) };
    await expect(billing().process(fetchOf({}))).rejects.toMatchObject({
      message: "The billing subgraph refused the gateway's request with HTTP 413 (REQUEST_TOO_LARGE: Too many representations.)",
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('names a failing subgraph’s status, with its answer kept for the log, even when the answer is not JSON', async () => {
    answer = { status: 502, type: 'text/html', body: '<h1>Bad gateway</h1>' };
    await expect(billing().process(fetchOf({}))).rejects.toMatchObject({
      message: '502: Bad Gateway',
      extensions: { response: { status: 502, body: '<h1>Bad gateway</h1>' } },
    });
    answer = { status: 500, body: '{"errors": [' };
    await expect(billing().process(fetchOf({}))).rejects.toMatchObject({ message: '500: Internal Server Error' });
  });

  it('refuses an answer that is not a JSON object', async () => {
    answer = { status: 200, body: '[1, 2]' };
    await expect(billing().process(fetchOf({}))).rejects.toThrow(/Expected JSON response body/);
    answer = { status: 200, type: 'text/plain', body: 'hello' };
    await expect(billing().process(fetchOf({}))).rejects.toThrow(/Expected JSON response body, but received: hello/);
  });

  it('refuses to send a request without an operation', async () => {
    await expect(billing().process(fetchOf({}, { query: undefined }))).rejects.toThrow('Missing query');
    expect(received).toHaveLength(0);
  });
});
