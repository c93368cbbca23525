// An alias the gateway would confuse with a name it joins answers by is refused before planning, saying what to do instead.
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { noReservedAliases } from './reserved-aliases';

const schema = buildSchema(`
  type Query { viewer: User }
  type User { id: ID! name: String! email: String! organization: Organization }
  type Organization { id: ID! name: String! viewerPermissions: [String!]! }
`);
const errors = (query: string) => validate(schema, parse(query), [...specifiedRules, noReservedAliases]).map((error) => error.message);

describe('noReservedAliases', () => {
  it.each(['{ __typename: viewer { id } }', '{ viewer { __typename: id } }', '{ viewer { __schema: name } }', '{ __x: __typename }'])('refuses %s', (query) => {
    expect(errors(query)).toEqual([expect.stringMatching(/^The alias "__\w+" begins with "__", which GraphQL reserves for its own names\. Choose another alias\.$/)]);
  });

  it.each([
    ['{ viewer { id: email } }', 'id', 'User'],
    ['{ viewer { organization { viewerPermissions: name } } }', 'viewerPermissions', 'Organization'],
    ['{ viewer { name: organization { id } } }', 'name', 'User'],
  ])('refuses %s, an alias that is the name of another field', (query, alias, type) => {
    expect(errors(query)).toEqual([`The alias "${alias}" is the name of another field of ${type}, which answers would confuse with it. Choose another alias.`]);
  });

  it.each(['{ viewer { id __typename } }', '{ me: viewer { typename: __typename _id: id } }', '{ viewer { id: id name } }', '{ viewer { a: organization { b: name } } }'])('accepts %s', (query) => {
    expect(errors(query)).toEqual([]);
  });
});
