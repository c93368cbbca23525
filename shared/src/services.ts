// The one list of the graph's services: who they are, where they listen by default, and how others find them.

/** A subgraph: its name (also its PostgreSQL schema), default port, and the variable that holds its GraphQL URL. */
export interface SubgraphService {
  name: 'identity' | 'organizations' | 'billing';
  /** The default port; `npm start` puts each subgraph at the gateway's port plus `offset`. */
  port: number;
  offset: number;
  /** The gateway's environment variable for this subgraph's GraphQL URL. */
  urlVariable: 'IDENTITY_URL' | 'ORGANIZATIONS_URL' | 'BILLING_URL';
}

export const GATEWAY_PORT = 4000;

const identity: SubgraphService = { name: 'identity', port: 4001, offset: 1, urlVariable: 'IDENTITY_URL' };

const organizations: SubgraphService = { name: 'organizations', port: 4002, offset: 2, urlVariable: 'ORGANIZATIONS_URL' };

// Identity comes first: the others verify credentials against it, so it starts first and stops last.
export const SUBGRAPHS: readonly SubgraphService[] = [
  identity,
  organizations,
  { name: 'billing', port: 4003, offset: 3, urlVariable: 'BILLING_URL' },
];

export type SubgraphName = SubgraphService['name'];
export const SUBGRAPH_NAMES: readonly SubgraphName[] = SUBGRAPHS.map((s) => s.name);

/** A subgraph's GraphQL endpoint on this machine. */
export const localGraphQLUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;

/**
 * Where the identity service publishes its keys, answers whether a credential is live, and (for organizations)
 * which of a list of users match a search, and which users have given email addresses, at `port` (default 4001).
 */
export function identityEndpoints(port = identity.port): { JWKS_URL: string; INTROSPECTION_URL: string; USER_SEARCH_URL: string; USER_LOOKUP_URL: string } {
  const base = `http://127.0.0.1:${port}`;
  return {
    JWKS_URL: `${base}/.well-known/jwks.json`,
    INTROSPECTION_URL: `${base}/internal/introspect`,
    USER_SEARCH_URL: `${base}/internal/user-search`,
    USER_LOOKUP_URL: `${base}/internal/user-lookup`,
  };
}

/**
 * Where the organizations service publishes the public keys of the permission claims it signs, at `port` (default
 * 4002): identity and billing verify those claims, and identity tells it of users' events (an address verified).
 */
export function organizationsEndpoints(port = organizations.port): {
  CLAIMS_JWKS_URL: string;
  USER_EVENTS_URL: string;
  KEY_INTROSPECTION_URL: string;
  BILLING_EVENTS_URL: string;
  MEMBER_PERMISSIONS_URL: string;
} {
  return {
    CLAIMS_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    USER_EVENTS_URL: `http://127.0.0.1:${port}/internal/user-events`,
    KEY_INTROSPECTION_URL: `http://127.0.0.1:${port}/internal/introspect-key`,
    // Billing tells organizations of its alerts (audit log, emails to owners and billing members).
    BILLING_EVENTS_URL: `http://127.0.0.1:${port}/internal/billing-events`,
    // Billing asks a caller's permissions in an organization for its root mutations (no entity, so no @requires claim).
    MEMBER_PERMISSIONS_URL: `http://127.0.0.1:${port}/internal/member-permissions`,
  };
}

/** A subgraph's entry in the list above, for its own start-up code. */
export function subgraphService(name: SubgraphName): SubgraphService {
  return SUBGRAPHS.find((subgraph) => subgraph.name === name)!;
}
