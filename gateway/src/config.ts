// The gateway's environment variables, validated at start.
import { z } from 'zod';
import { GATEWAY_PORT, host, localGraphQLUrl, maxQueryCost, port, SUBGRAPHS, verifierEnv, type SubgraphService } from '@orgapi/shared';

/** Each caller's budget per minute: about fifty overviews, or four operations at the per-operation limit. */
export const DEFAULT_COST_PER_MINUTE = 100_000;

/** IDENTITY_URL, ORGANIZATIONS_URL and BILLING_URL: each subgraph's GraphQL endpoint, by default on this machine. */
const subgraphUrls = Object.fromEntries(
  SUBGRAPHS.map(({ urlVariable, port: defaultPort }) => {
    const fallback = localGraphQLUrl(defaultPort);
    return [urlVariable, z.url(`${urlVariable} must be the URL of a subgraph's GraphQL endpoint, e.g. ${fallback}`).default(fallback)];
  }),
) as Record<SubgraphService['urlVariable'], z.ZodDefault<z.ZodURL>>;

export const gatewayEnv = z.object({
  PORT: port(GATEWAY_PORT),
  HOST: host,
  ...verifierEnv,
  ...subgraphUrls,
  /**
   * Browser origins allowed to call the gateway from pages they serve: a comma-separated list like
   * https://app.example.com, or `*` for any. Unset, none: the explorer is served by the gateway itself, same-origin.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => (value.trim() === '*' ? '*' : value.split(',').map((origin) => origin.trim()).filter(Boolean)))
    .refine((origins) => origins === '*' || origins.every(isOrigin), {
      error: 'CORS_ORIGINS must be * or a comma-separated list of origins like https://app.example.com (scheme, host and port only; never null)',
    }),
  /** How long a subgraph may take to answer before the gateway gives up on that part of the query. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  /** A composed supergraph SDL file; when set, the gateway serves it instead of introspecting the subgraphs at start. */
  // An empty value (a blank line in .env) means unset, not a file named ''.
  SUPERGRAPH_FILE: z
    .string()
    .optional()
    .transform((path) => path || undefined),
  /** The most one operation may cost (shared/src/cost.ts). */
  MAX_QUERY_COST: maxQueryCost,
  /** What one caller (a user, or an anonymous client address) may spend per minute; 0 turns the limit off, for load tests. */
  COST_PER_MINUTE: z.coerce.number().int().min(0).default(DEFAULT_COST_PER_MINUTE),
  /**
   * The database identity uses, as any role that may connect (LISTEN needs no privileges; `npm start` and the tests
   * give it one that has none): the gateway hears revocations there and drops its cached answers at once. Unset, a
   * revoked credential passes the gateway for up to CREDENTIAL_CACHE_SECONDS and is refused by the subgraphs.
   */
  REVOCATIONS_DATABASE_URL: z
    .string()
    .optional()
    .transform((url) => url || undefined)
    .refine((url) => url === undefined || /^postgres(ql)?:\/\//.test(url), 'REVOCATIONS_DATABASE_URL must be a postgres:// URL'),
  /** A Redis server the gateway replicas keep their per-minute budgets in; unset, each counts on its own. */
  REDIS_URL: z
    .string()
    .optional()
    .transform((url) => url || undefined)
    .refine((url) => url === undefined || /^rediss?:\/\//.test(url), 'REDIS_URL must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379'),
}).refine((env) => env.COST_PER_MINUTE === 0 || env.COST_PER_MINUTE >= env.MAX_QUERY_COST, {
  // An operation the per-operation limit admits must fit in a minute's budget, or it could never run.
  path: ['COST_PER_MINUTE'],
  message: 'COST_PER_MINUTE must be at least MAX_QUERY_COST (or 0 to turn the per-minute limit off)',
});
export type GatewayConfig = z.infer<typeof gatewayEnv>;

// `null` is the origin of sandboxed frames and local files, which any page can create: allowing it allows everyone.
function isOrigin(origin: string): boolean {
  try {
    return origin !== 'null' && new URL(origin).origin === origin;
  } catch {
    return false;
  }
}
