// The cap on `_entities` representations: counted however a request spells them, refused before any is resolved.
import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { MAX_PAGE_SIZE } from './pagination';
import { DEFAULT_MAX_REPRESENTATIONS, representationLimit } from './representation-limit';

const resolved: unknown[] = [];
const server = new ApolloServer({
  typeDefs: 'scalar _Any type Query { _entities(representations: [_Any!]!): [String]! }',
  resolvers: { Query: { _entities: (_: unknown, { representations }: { representations: unknown[] }) => (resolved.push(...representations), representations.map(() => 'entity')) } },
  plugins: [representationLimit({ maxRepresentations: 3 })],
});
afterAll(() => server.stop());
beforeEach(() => (resolved.length = 0));

const entities = 'query($r: [_Any!]!) { _entities(representations: $r) }';

it('by default allows every environment of a full page of projects in each of a full page of organizations', () => {
  expect(DEFAULT_MAX_REPRESENTATIONS).toBe(MAX_PAGE_SIZE * MAX_PAGE_SIZE * 2);
});

it('resolves as many representations as the cap', async () => {
  const response = await server.executeOperation({ query: entities, variables: { r: [1, 2, 3] } });
  expect(response.body.kind === 'single' && response.body.singleResult.data).toEqual({ _entities: ['entity', 'entity', 'entity'] });
});

it('refuses one more with REQUEST_TOO_LARGE and HTTP 400, resolving none', async () => {
  const response = await server.executeOperation({ query: entities, variables: { r: [1, 2, 3, 4] } });
  expect(response.http.status).toBe(400);
  expect(response.body.kind === 'single' && response.body.singleResult.errors).toEqual([
    { message: 'This request asks for 4 entities; this service resolves at most 3 per request.', extensions: { code: 'REQUEST_TOO_LARGE', representations: 4, maxRepresentations: 3 } },
  ]);
  expect(resolved).toEqual([]);
});

it.each([
  ['inline lists', '{ _entities(representations: [1, 2, 3, 4]) }', {}],
  ['aliases', 'query($a: [_Any!]!, $b: [_Any!]!) { a: _entities(representations: $a) b: _entities(representations: $b) }', { a: [1, 2], b: [3, 4] }],
  ['fragments', 'query($r: [_Any!]!) { ... on Query { _entities(representations: $r) } ...Again } fragment Again on Query { again: _entities(representations: [1]) }', { r: [1, 2, 3] }],
  ['a single value for a list', 'query($a: [_Any!]!, $b: [_Any!]!) { a: _entities(representations: $a) b: _entities(representations: $b) }', { a: [1, 2, 3], b: 4 }],
])('sums representations passed in %s', async (_, query, variables) => {
  const response = await server.executeOperation({ query, variables });
  expect(response.body.kind === 'single' && response.body.singleResult.errors?.map((error) => error.extensions?.code)).toEqual(['REQUEST_TOO_LARGE']);
  expect(resolved).toEqual([]);
});
