// The cost model: objects 1, scalars 0, lists by `first` or their assumed size, multiplied through nesting; and what
// this graph's own queries cost against the committed supergraph.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import fc from 'fast-check';
import { getIntrospectionQuery, parse } from 'graphql';
import { CostModel, DEFAULT_MAX_QUERY_COST, tooComplex } from './cost';
import { FEDERATION_VERSION } from './federation';
// The overview query as the README and the integration tests send it.
import { OVERVIEW } from '../../test/harness/queries';

const LIST = '@listSize(assumedSize: 20, slicingArguments: ["first"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false)';
// A subgraph of shelves and books, declared as ours are: federation's link, connections sized by `first`.
const shelves = new CostModel(
  buildSubgraphSchema({
    typeDefs: parse(`
      extend schema @link(url: "${FEDERATION_VERSION}", import: ["@key", "@cost", "@listSize"])
      type Query {
        shelves(first: Int, after: String): ShelfConnection! ${LIST}
        shelf(id: ID!): Shelf
      }
      type ShelfConnection { edges: [ShelfEdge!]! nodes: [Shelf!]! pageInfo: PageInfo! totalCount: Int! }
      type ShelfEdge { cursor: String! node: Shelf! }
      type PageInfo { hasNextPage: Boolean! }
      type Shelf @key(fields: "id") {
        id: ID!
        name: String!
        tags: [String!]!
        books: [Book!]! @listSize(assumedSize: 5)
        related: [Book!]!
        report: Report @cost(weight: 10)
        shelves(first: Int): ShelfConnection! ${LIST}
      }
      type Book @key(fields: "id") { id: ID! title: String! }
      type Report { total: Int! days: [Day!]! @listSize(assumedSize: 366) }
      type Day { amount: Int! }
    `),
  }),
);
const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) => shelves.costOf({ document: parse(query), variables, operationName });

describe('the cost of an operation', () => {
  it('counts an object as 1 and a scalar as 0', () => {
    expect(cost('{ shelf(id: "1") { id name tags } }')).toBe(1);
  });

  it('multiplies a connection’s edges and nodes by `first`, but not its pageInfo or totalCount', () => {
    expect(cost('{ shelves(first: 10) { totalCount pageInfo { hasNextPage } nodes { id } } }')).toBe(1 + 1 + 10);
    expect(cost('{ shelves(first: 10) { edges { cursor node { id } } nodes { id } } }')).toBe(1 + 10 * 2 + 10);
  });

  it('takes the default page size when `first` is omitted, and `first` from the variables', () => {
    expect(cost('{ shelves { nodes { id } } }')).toBe(1 + 20);
    expect(cost('query($n: Int) { shelves(first: $n) { nodes { id } } }', { n: 3 })).toBe(1 + 3);
  });

  it('multiplies through nesting', () => {
    expect(cost('{ shelves(first: 10) { nodes { shelves(first: 10) { nodes { shelves(first: 10) { nodes { id } } } } } } }')).toBe(1 + 10 * (1 + 1 + 10 * (1 + 1 + 10)));
  });

  it('sizes plain lists by their assumed size, or 10 when they declare none, and weighs fields by @cost', () => {
    expect(shelves.unsizedLists()).toEqual(['Shelf.related']);
    expect(cost('{ shelf(id: "1") { books { title } related { id } report { total days { amount } } } }')).toBe(1 + 5 + 10 + (10 + 366));
  });

  it('follows fragments, and leaves out what @skip and @include leave out', () => {
    const query = `query($withBooks: Boolean!) { shelves(first: 10) { ...Page } }
      fragment Page on ShelfConnection { ... on ShelfConnection { nodes { id books @include(if: $withBooks) { id } } } }`;
    expect(cost(query, { withBooks: false })).toBe(1 + 10);
    expect(cost(query, { withBooks: true })).toBe(1 + 10 * (1 + 5));
  });

  it('prices _entities per representation, by what is selected on its type', () => {
    const representations = [...Array.from({ length: 3 }, (_, i) => ({ __typename: 'Shelf', id: `${i}` })), ...Array.from({ length: 2 }, (_, i) => ({ __typename: 'Book', id: `${i}` }))];
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Shelf { books { id } } ... on Book { title } } }';
    expect(cost(query, { representations })).toBe(3 * (1 + 5) + 2 * 1);
  });

  it('prices the operation named, of several', () => {
    const document = 'query One { shelf(id: "1") { id } } query Many { shelves(first: 10) { nodes { id } } }';
    expect(cost(document, {}, 'One')).toBe(1);
    expect(cost(document, {}, 'Many')).toBe(11);
  });

  it('refuses variables of the wrong type as the caller’s mistake', () => {
    expect(() => cost('query($n: Int) { shelves(first: $n) { nodes { id } } }', { n: 'ten' })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });

  it('stops pricing fragments that multiply each other, and the refusal says why', () => {
    const fragments = Array.from({ length: 16 }, (_, i) => `fragment F${i} on Shelf { id ...F${i + 1} ...F${i + 1} }`).join('\n');
    const expanded = cost(`{ shelf(id: "1") { ...F0 } } ${fragments} fragment F16 on Shelf { name }`);
    expect(expanded).toBe(Infinity);
    expect(tooComplex(expanded, 25_000).message).toMatch(/more than 10,000 fields once its fragments are spread, over the limit of 25,000/);
  });
});

describe('prices kept per document (cost-key.ts)', () => {
  // One model and one parsed document, as a service has them (Apollo Server keeps one document per text), against
  // the same request priced afresh on a document parsed anew, which no kept price answers.
  const query = `query($n: Int, $m: Int, $withBooks: Boolean!, $id: ID!) {
    shelf(id: $id) { shelves(first: $m) { nodes { books @include(if: $withBooks) { id } } } }
    shelves(first: $n) { totalCount nodes { id } }
  }`;
  const kept = parse(query);
  const entities = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Shelf { books { id } } ... on Book { title } } }';
  const keptEntities = parse(entities);

  it('answers every request as pricing it afresh would, whatever the variables', () => {
    const variables = fc.record(
      { n: fc.option(fc.nat(60), { nil: null }), m: fc.option(fc.nat(60), { nil: null }), withBooks: fc.boolean(), id: fc.string({ maxLength: 5 }) },
      { requiredKeys: ['withBooks', 'id'] },
    );
    fc.assert(fc.property(variables, (v) => shelves.costOf({ document: kept, variables: v }) === cost(query, v)));
  });

  it('prices representations by how many there are of each type, whatever their keys', () => {
    const representations = fc.array(fc.record({ __typename: fc.constantFrom('Shelf', 'Book', 'Nope', '__proto__'), id: fc.string({ maxLength: 4 }) }), { maxLength: 30 });
    fc.assert(fc.property(representations, (list) => shelves.costOf({ document: keptEntities, variables: { representations: list } }) === cost(entities, { representations: list })));
  });

  it('still refuses variables of the wrong type once the document’s price is kept', () => {
    const document = parse('query($n: Int, $id: ID!) { shelf(id: $id) { id } shelves(first: $n) { nodes { id } } }');
    expect(shelves.costOf({ document, variables: { n: 2, id: 'a' } })).toBe(1 + 1 + 2);
    // `id` is not what the price reads, so the kept price answers: the variables are still checked.
    expect(() => shelves.costOf({ document, variables: { n: 2, id: { not: 'an id' } } })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });
});

describe('tooComplex', () => {
  it('says the cost and the limit, in words and in extensions', () => {
    const error = tooComplex(132_652, 10_000);
    expect(error.message).toMatch(/costs 132,652, over the limit of 10,000 per operation/);
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 132_652, limit: 10_000 });
  });
});

describe('this graph, priced from schema/supergraph.graphql', () => {
  const graph = CostModel.fromSupergraph(readFileSync(path.join(__dirname, '../../schema/supergraph.graphql'), 'utf8'));
  const price = (query: string, variables: Record<string, unknown> = {}) => graph.costOf({ document: parse(query), variables });
  const year = { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };

  it('admits the README’s overview query well inside the budget', () => {
    expect(price(OVERVIEW, { slug: 'acme', ...year })).toBe(1_914);
    expect(1_914 * 10).toBeLessThan(DEFAULT_MAX_QUERY_COST);
  });

  it('refuses finding 2’s queries many times over', () => {
    const nested = (inner: string) => `query($id: ID!, $from: DateTime!, $to: DateTime!) { organization(id: $id) { projects(first: 50) { nodes { ${inner} } } } }`;
    const threeLevels = nested('organization { projects(first: 50) { nodes { organization { projects(first: 50) { nodes { id name } } } } } }');
    const aYearOf50By50 = nested('organization { projects(first: 50) { nodes { creditUsage(from: $from, to: $to) { total byDay { date amount } } } } }');
    expect(price(threeLevels, { id: 'org', ...year })).toBe(132_652);
    expect(price(aYearOf50By50, { id: 'org', ...year })).toBe(1_027_652);
  });

  it('admits the explorer’s introspection query', () => {
    const introspection = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true });
    expect(price(introspection)).toBeLessThan(DEFAULT_MAX_QUERY_COST);
  });

  it('declares the size of every list of objects, so none is priced by the default', () => {
    expect(graph.unsizedLists()).toEqual([]);
  });
});
