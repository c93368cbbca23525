// Hive Gateway serving the committed supergraph by configuration alone: the client's credential plus the router secret.
import { defineConfig } from '@graphql-hive/gateway';
import { SUBGRAPHS } from '../../shared/src/services';

const routerSecret = process.env.ROUTER_SECRET;
if (!routerSecret) throw new Error('ROUTER_SECRET must be set: the subgraphs refuse requests without it.');

export const gatewayConfig = defineConfig({
  supergraph: process.env.SUPERGRAPH_FILE || 'schema/supergraph.graphql',
  // Where each subgraph listens (IDENTITY_URL, ORGANIZATIONS_URL, BILLING_URL), when not at the URL in the supergraph.
  transportEntries: {
    // `npm run bench` compares like for like: our gateway sends every request it plans, so Hive must not merge
    // identical ones in flight (its default).
    ...(process.env.DEDUPLICATE_INFLIGHT_REQUESTS === 'false' ? { '*.http': { options: { deduplicateInflightRequests: false } } } : {}),
    ...Object.fromEntries(SUBGRAPHS.flatMap(({ name, urlVariable }) => (process.env[urlVariable] ? [[name, { location: process.env[urlVariable] }]] : []))),
  },
  propagateHeaders: {
    // Every subgraph verifies the credential itself; the secret proves the request came through the router.
    fromClientToSubgraphs: ({ request }) => ({
      authorization: request.headers.get('authorization'),
      'x-forwarded-for': request.headers.get('x-forwarded-for'),
      'x-router-secret': routerSecret,
    }),
  },
});
