// The gateway's environment variables, validated at start.
import { z } from 'zod';
import { port, verifierEnv } from '@orgapi/shared';

const subgraphUrl = (name: string, fallback: string) =>
  z.url(`${name} must be the URL of a subgraph's GraphQL endpoint, e.g. ${fallback}`).default(fallback);

export const gatewayEnv = z.object({
  PORT: port(4000),
  HOST: z.string().default('0.0.0.0'),
  ...verifierEnv,
  IDENTITY_URL: subgraphUrl('IDENTITY_URL', 'http://127.0.0.1:4001/graphql'),
  ORGANIZATIONS_URL: subgraphUrl('ORGANIZATIONS_URL', 'http://127.0.0.1:4002/graphql'),
  BILLING_URL: subgraphUrl('BILLING_URL', 'http://127.0.0.1:4003/graphql'),
  /** A composed supergraph SDL file; when set, the gateway serves it instead of introspecting the subgraphs at start. */
  // An empty value (a blank line in .env) means unset, not a file named ''.
  /** Browser origins allowed to call the gateway: `*` (any) or a comma-separated list like https://app.example.com. */
  CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((value) => (value.trim() === '*' ? '*' : value.split(',').map((origin) => origin.trim()).filter(Boolean))),
  /** How long a subgraph may take to answer before the gateway gives up on that part of the query. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  SUPERGRAPH_FILE: z
    .string()
    .optional()
    .transform((path) => path || undefined),
});
export type GatewayConfig = z.infer<typeof gatewayEnv>;
