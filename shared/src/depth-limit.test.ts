// The depth limit: fields counted through fragments, refused after validation and before execution.
import { ApolloServer } from '@apollo/server';
import { parse, type OperationDefinitionNode } from 'graphql';
import { depthLimit, fieldDepth } from './depth-limit';
import { fragmentsOf } from './fragments';

const depthOf = (query: string) => {
  const document = parse(query);
  return fieldDepth((document.definitions[0] as OperationDefinitionNode).selectionSet, fragmentsOf(document));
};

describe('the depth of an operation', () => {
  it.each([
    ['{ a }', 1],
    ['{ a { b } c }', 2],
    ['{ a { b { c } } d { e } }', 3],
  ])('counts fields, leaves included: %s is %d deep', (query, depth) => {
    expect(depthOf(query)).toBe(depth);
  });

  it('adds no level for inline fragments and fragment spreads, as a plan’s `_entities { ... on Project }` has', () => {
    expect(depthOf('{ _entities { ... on Project { creditUsage { total } } } }')).toBe(3);
    expect(depthOf('{ a { ...F } } fragment F on A { b { ...G } } fragment G on B { c }')).toBe(3);
  });

  it('measures a fragment at every place it is spread', () => {
    expect(depthOf('{ a { ...F } b { c { d { ...F } } } } fragment F on A { x { y } }')).toBe(5);
  });

  it('counts introspection as one level, deep as it is', () => {
    expect(depthOf('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }')).toBe(1);
  });
});

describe('a query over the limit', () => {
  let executed = false;
  const server = new ApolloServer({
    typeDefs: 'type Query { node: Node } type Node { id: ID child: Node }',
    resolvers: { Query: { node: () => ((executed = true), { id: '1' }) } },
    plugins: [depthLimit({ maxDepth: 3 })],
  });
  afterAll(() => server.stop());

  it('is answered at the limit', async () => {
    const response = await server.executeOperation({ query: '{ node { child { id } } }' });
    expect(response.body.kind === 'single' && response.body.singleResult.errors).toBeUndefined();
  });

  it('is refused with QUERY_TOO_COMPLEX and HTTP 400 one level deeper, before anything runs', async () => {
    executed = false;
    const response = await server.executeOperation({ query: '{ node { child { child { id } } } }' });
    expect(response.http.status).toBe(400);
    expect(response.body.kind === 'single' && response.body.singleResult.errors).toEqual([
      { message: 'This query nests 4 fields deep; this service answers at most 3. Ask for less nested data.', extensions: { code: 'QUERY_TOO_COMPLEX', depth: 4, maxDepth: 3 } },
    ]);
    expect(executed).toBe(false);
  });
});
