// A representation that names no entity of the service, or carries no key, is the caller's mistake: BAD_USER_INPUT.
import { buildSchema, graphql, type GraphQLError } from 'graphql';
import { checkRepresentations, entityTypeNames, guardEntities } from './representations';

const ENTITIES = new Set(['Organization', 'Project']);

/** The error `refuse` throws; fails the test if it throws none. */
function refusal(refuse: () => void): GraphQLError {
  try {
    refuse();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('Expected a refusal, but the representations were accepted.');
}

describe('checkRepresentations', () => {
  it('lets representations through that name an entity of the service and carry its id', () => {
    expect(() => checkRepresentations([{ __typename: 'Organization', id: 'org_1' }, { __typename: 'Project', id: 'prj_1', extra: [1] }], ENTITIES)).not.toThrow();
    expect(() => checkRepresentations([], ENTITIES)).not.toThrow();
  });

  it.each([
    ['no __typename', {}, /Representation 1 must name an entity of this service in `__typename`: Organization, Project\./],
    ['an unknown __typename', { __typename: 'Nope', id: 'x' }, /Representation 1 must name/],
    ['a __typename that is not a string', { __typename: ['Project'], id: 'x' }, /Representation 1 must name/],
    ['no id', { __typename: 'Project' }, /Representation 1 \(Project\) must carry its `id` as a string\./],
    ['an id that is a number', { __typename: 'Project', id: 5 }, /must carry its `id`/],
    ['an empty id', { __typename: 'Project', id: '' }, /must carry its `id`/],
    ['not an object', 'Project', /Representation 1 must name/],
  ])('refuses a representation with %s as bad input on `representations`', (_case, representation, message) => {
    expect(() => checkRepresentations([representation], ENTITIES)).toThrow(message);
    const second = refusal(() => checkRepresentations([{ __typename: 'Project', id: 'prj_1' }, representation], ENTITIES));
    expect(second.message).toMatch(/^Representation 2/);
    expect(second.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'representations' });
  });
});

describe('guardEntities', () => {
  const schema = buildSchema(`
    scalar _Any
    type Project { id: ID! }
    union _Entity = Project
    type Query { _entities(representations: [_Any!]!): [_Entity]! }
  `);
  let resolved = 0;
  schema.getQueryType()!.getFields()._entities.resolve = (_source, { representations }: { representations: unknown[] }) => {
    resolved += 1;
    return representations;
  };
  guardEntities(schema);

  it('reads the entities from the `_Entity` union', () => {
    expect(entityTypeNames(schema)).toEqual(new Set(['Project']));
  });

  it('checks the representations before resolving any, and then resolves them as before', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { id } } }';
    const refused = await graphql({ schema, source: query, variableValues: { r: [{ __typename: 'Project', id: 'prj_1' }, { __typename: 'Project' }] } });
    expect(refused.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'representations' });
    expect(resolved).toBe(0);
    const answered = await graphql({ schema, source: query, variableValues: { r: [{ __typename: 'Project', id: 'prj_1' }] } });
    expect(answered).toEqual({ data: { _entities: [{ id: 'prj_1' }] } });
  });
});
