// The key a price is kept under: only what the price reads of the variables.
import { parse } from 'graphql';
import { costKey, costVariables, MAX_COST_KEY_LENGTH } from './cost-key';

const FIRST = new Set(['first', 'representations']);
const OVERVIEW = parse(`query Overview($slug: String!, $from: DateTime!, $to: DateTime!, $pageSize: Int, $withUsage: Boolean = true) {
  organization(slug: $slug) {
    projects(first: $pageSize) { nodes { id creditUsage(from: $from, to: $to) @include(if: $withUsage) { total } } }
  }
}`);
const ENTITIES = parse('query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { name } } }');
const key = (variables: Record<string, unknown>, document = OVERVIEW) => costKey(document, FIRST, 'Overview', variables);

describe('costVariables', () => {
  it('names the variables that reach a slicing argument, a directive or the representations, and no others', () => {
    expect(costVariables(OVERVIEW, FIRST)).toEqual(['pageSize', 'withUsage']);
    expect(costVariables(ENTITIES, FIRST)).toEqual(['representations']);
  });

  it('finds them inside lists and input objects', () => {
    expect(costVariables(parse('query($a: Int, $b: Int) { f(first: [$a, { x: $b }]) }'), FIRST)).toEqual(['a', 'b']);
  });
});

describe('costKey', () => {
  const base = { slug: 'acme', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', pageSize: 100 };

  it('is the same for requests that differ only where the price does not read', () => {
    expect(key(base)).toBe(key({ ...base, slug: 'globex', from: '2026-10-01T00:00:00Z', to: '2026-11-11T12:00:00Z' }));
  });

  it('differs with a slicing argument, a directive’s condition, or the operation', () => {
    expect(key(base)).not.toBe(key({ ...base, pageSize: 101 }));
    expect(key({ ...base, withUsage: false })).not.toBe(key({ ...base, withUsage: true }));
    expect(costKey(OVERVIEW, FIRST, 'Other', base)).not.toBe(key(base));
  });

  it('tells a variable not sent (its default applies) from one sent as null', () => {
    const { pageSize: _, ...without } = base;
    expect(key(without)).not.toBe(key({ ...without, pageSize: null }));
  });

  it('reads representations by how many there are of each __typename', () => {
    const users = (n: number, claim: string) => Array.from({ length: n }, (_, i) => ({ __typename: 'User', id: `usr_${i}`, claim }));
    expect(key({ representations: users(100, 'a') }, ENTITIES)).toBe(key({ representations: users(100, 'b'.repeat(700)) }, ENTITIES));
    expect(key({ representations: users(100, 'a') }, ENTITIES)).not.toBe(key({ representations: users(99, 'a') }, ENTITIES));
    expect(key({ representations: [...users(1, 'a'), { __typename: 'Project', id: 'prj_1' }] }, ENTITIES)).not.toBe(key({ representations: users(2, 'a') }, ENTITIES));
    // Anything else in the list is kept as it is; a `__proto__` type is a name like any other.
    expect(key({ representations: [null, 1] }, ENTITIES)).toBe('Overview\n{"representations":[null,1]}');
    expect(key({ representations: [{ __typename: '__proto__' }] }, ENTITIES)).toBe('Overview\n{"representations":{"__typenames":{"__proto__":1}}}');
  });

  it('is not given for variables too long to be worth keeping', () => {
    expect(key({ ...base, pageSize: 'x'.repeat(MAX_COST_KEY_LENGTH) })).toBeUndefined();
  });
});
