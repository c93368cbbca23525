// Hive Gateway serving the committed supergraph by configuration alone: the client's credential plus the router secret.
import { defineConfig } from '@graphql-hive/gateway';

const routerSecret = process.env.ROUTER_SECRET;
if (!routerSecret) throw new Error('ROUTER_SECRET must be set: the subgraphs refuse requests without it.');

// Where each subgraph listens, when not at the URL composed into the supergraph.
const locations = { identity: process.env.IDENTITY_URL, organizations: process.env.ORGANIZATIONS_URL, billing: process.env.BILLING_URL };

export const gatewayConfig = defineConfig({
  supergraph: process.env.SUPERGRAPH_FILE || 'schema/supergraph.graphql',
  transportEntries: Object.fromEntries(Object.entries(locations).flatMap(([subgraph, location]) => (location ? [[subgraph, { location }]] : []))),
  propagateHeaders: {
    // Every subgraph verifies the credential itself; the secret proves the request came through the router.
    fromClientToSubgraphs: ({ request }) => ({
      authorization: request.headers.get('authorization'),
      'x-forwarded-for': request.headers.get('x-forwarded-for'),
      'x-router-secret': routerSecret,
    }),
  },
});
