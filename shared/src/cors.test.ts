// CORS on serve(): browser apps on the listed origins may call the API; others get no permission to read answers.
import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { serve, type RunningServer } from './server';

let server: RunningServer;
let anyOrigin: RunningServer;
beforeAll(async () => {
  const apollo = () => new ApolloServer({ schema: buildSchema('type Query { ok: Boolean }'), rootValue: { ok: true } });
  server = await serve({ apollo: apollo(), port: 0, context: async () => ({}), cors: { origins: ['https://app.example.com'] } });
  anyOrigin = await serve({ apollo: apollo(), port: 0, context: async () => ({}), cors: { origins: '*' } });
});
afterAll(async () => {
  await server?.stop();
  await anyOrigin?.stop();
});

const preflight = (origin: string, url = server.url) =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });

it('lets a listed origin make requests with a bearer token', async () => {
  const answer = await preflight('https://app.example.com');
  expect(answer.status).toBe(204);
  expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  expect(answer.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  expect(answer.headers.get('vary')).toBe('origin');
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { origin: 'https://app.example.com', 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ ok }' }),
  });
  expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  expect(await response.json()).toEqual({ data: { ok: true } });
});

it('gives an origin that is not listed no permission: the browser refuses to send or read', async () => {
  const answer = await preflight('https://evil.example.com');
  expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  expect(answer.headers.get('access-control-allow-headers')).toBeNull();
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { origin: 'https://evil.example.com', 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ ok }' }),
  });
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
});

// Sandboxed frames and local files send `Origin: null`, and any page can make one.
it('never allows the origin null, not even when every origin is allowed', async () => {
  for (const url of [server.url, anyOrigin.url]) {
    const answer = await preflight('null', url);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const response = await fetch(url, { method: 'POST', headers: { origin: 'null', 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ ok }' }) });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  }
  expect((await preflight('https://any.example.com', anyOrigin.url)).headers.get('access-control-allow-origin')).toBe('*');
});
