// An alias that begins with "__" is refused before planning, with a message that says what to do instead.
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { noReservedAliases } from './reserved-aliases';

const schema = buildSchema('type Query { viewer: User } type User { id: ID! name: String! }');
const errors = (query: string) => validate(schema, parse(query), [...specifiedRules, noReservedAliases]).map((error) => error.message);

describe('noReservedAliases', () => {
  it.each(['{ __typename: viewer { id } }', '{ viewer { __typename: id } }', '{ viewer { __schema: name } }', '{ __x: __typename }'])('refuses %s', (query) => {
    expect(errors(query)).toEqual([expect.stringMatching(/^The alias "__\w+" begins with "__", which GraphQL reserves for its own names\. Choose another alias\.$/)]);
  });

  it.each(['{ viewer { id __typename } }', '{ me: viewer { typename: __typename _id: id } }'])('accepts %s', (query) => {
    expect(errors(query)).toEqual([]);
  });
});
