// The smallest requests the fuzz found answered wrongly, kept so that every run sends them whatever the seed draws.
import { ROUTER_SECRET_HEADER, SUBGRAPH_NAMES } from '@orgapi/shared';
import type { Exchange } from './campaign';
import type { RawRequest } from './exchange';

/** A request the fuzz once found answered wrongly, named for what it does. */
export interface FoundRequest {
  name: string;
  exchange: Exchange;
}

const post = (body: unknown, headers: [string, string][]): RawRequest => ({
  method: 'POST',
  path: '/graphql',
  headers: [['content-type', 'application/json'], ...headers],
  body: JSON.stringify(body),
});

/** Each found request, sent as the signed-in user with `token`, and with the router secret to the subgraphs. */
export function foundRequests(token: string, routerSecret: string): FoundRequest[] {
  const user: [string, string] = ['authorization', `Bearer ${token}`];
  const gateway = (name: string, body: unknown): FoundRequest => ({ name: `gateway: ${name}`, exchange: { target: 'gateway', request: post(body, [user]) } });
  const subgraphs = (name: string, body: unknown, names: readonly string[] = SUBGRAPH_NAMES): FoundRequest[] =>
    names.map((target) => ({ name: `${target}: ${name}`, exchange: { target, request: post(body, [user, [ROUTER_SECRET_HEADER, routerSecret]]) } }));
  const entities = (representations: unknown[], selection = '__typename') => ({
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`,
    variables: { r: representations },
  });
  const mismatchedHash = { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } };

  return [
    // Found by the fuzz, not among the findings of issue 8; fixed with it.
    gateway('a fragment only another operation uses, with that operation’s variable', {
      query: 'query A { __typename } query B($slug: String) { ...F } fragment F on Query { organization(slug: $slug) { id } }',
      operationName: 'A',
    }),
    gateway('an alias "__typename" on an object field', { query: '{ viewer { __typename: memberships { totalCount } } }' }),
    gateway('an alias "id" on a list, beside a field of another subgraph', { query: '{ viewer { id: sessions { id } activeOrganization { id } } }' }),
    ...subgraphs('a representation without __typename', entities([{}])),
    ...subgraphs('a representation naming no entity of the service', entities([{ __typename: 'Nope', id: 'x' }])),
    ...subgraphs('an Organization representation without id', entities([{ __typename: 'Organization' }], '... on Organization { id }'), ['organizations', 'billing']),
    ...subgraphs('a User representation without id', entities([{ __typename: 'User' }]), ['identity']),
    // Found by the fuzz, for finding 3's rewrite of what billing accepts in representations.
    ...subgraphs(
      'the @external viewerPermissions of a representation that does not carry it',
      entities([{ __typename: 'Organization', id: 'org_x' }], '... on Organization { viewerPermissions }'),
      ['billing'],
    ),
    // Findings 4, 5, 1 and 7 of issue 8, as the fuzz meets them.
    gateway('several operations and no operationName', { query: 'query A { __typename } query B { __typename }' }),
    gateway('an operationName that does not exist', { query: '{ __typename }', operationName: 'Nope' }),
    gateway('a subscription', { query: 'subscription { __typename }' }),
    gateway('a persisted query whose hash does not match', mismatchedHash),
    ...subgraphs('a subscription', { query: 'subscription { __typename }' }),
    ...subgraphs('a persisted query whose hash does not match', mismatchedHash),
    gateway('a NUL in a slug', { query: '{ organization(slug: "acme\\u0000") { id } }' }),
    ...subgraphs('thousands of nested fragments', {
      query: `{ ...F0 } ${Array.from({ length: 5000 }, (_, i) => `fragment F${i} on Query { __typename ${i < 4999 ? `...F${i + 1}` : ''} }`).join(' ')}`,
    }),
    { name: 'gateway: a 100 KB Authorization header', exchange: { target: 'gateway', request: post({ query: '{ __typename }' }, [['authorization', `Bearer ${'a'.repeat(100_000)}`]]) } },
  ];
}
