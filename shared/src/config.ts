// Reads and validates a service's environment variables at start, failing with one clear message per problem.
import { z } from 'zod';
import { identityEndpoints, organizationsEndpoints } from './services';

export class ConfigError extends Error {}

/** Parses `env` with `schema`; on failure throws one error listing every variable that is wrong and why. */
export function loadConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const databaseUrl = z
  .string({ error: 'DATABASE_URL is required (postgres://user:password@host:port/database)' })
  .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://');
export const routerSecret = z
  .string({ error: 'ROUTER_SECRET is required: the shared secret the gateway sends to prove a request came through it' })
  .min(16, 'ROUTER_SECRET must be at least 16 characters');
// Unset, they name identity on this machine at its default port, where `npm start` runs it.
const identity = identityEndpoints();
export const jwksUrl = z.url('JWKS_URL must be the URL of the identity service JWKS').default(identity.JWKS_URL);

export const introspectionUrl = z
  .url('INTROSPECTION_URL must be the URL of the identity service introspection endpoint')
  .default(identity.INTROSPECTION_URL);
export const credentialCacheSeconds = z.coerce.number().int().min(0).max(300).default(5);

/** How every service other than identity verifies credentials. */
export const verifierEnv = {
  ROUTER_SECRET: routerSecret,
  JWKS_URL: jwksUrl,
  INTROSPECTION_URL: introspectionUrl,
  CREDENTIAL_CACHE_SECONDS: credentialCacheSeconds,
};

/** How identity and billing verify the permission claims organizations signs (docs/routers.md, trust model). */
export const claimVerifierEnv = {
  CLAIMS_JWKS_URL: z.url('CLAIMS_JWKS_URL must be the URL of the organizations service JWKS').default(organizationsEndpoints().CLAIMS_JWKS_URL),
};

/** How a service that signs (identity: access tokens; organizations: permission claims) keeps its keys. */
export const signingKeyEnv = {
  SIGNING_KEY_ROTATION_DAYS: z.coerce.number().int().min(1).default(30),
  /** Encrypts the signing keys' private parts in the database; without it they are stored in the clear. */
  // A blank value (SIGNING_KEY_SECRET= in a .env file) means unset.
  SIGNING_KEY_SECRET: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(32, 'SIGNING_KEY_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  ),
};

/** Settings every subgraph shares. */
export const subgraphEnv = {
  ...verifierEnv,
  DATABASE_URL: databaseUrl,
  HOST: z.string().default('0.0.0.0'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
};
