// Reads and validates a service's environment variables at start, failing with one clear message per problem.
import { z } from 'zod';
import { DEFAULT_MAX_QUERY_COST } from './cost';
import { identityEndpoints, organizationsEndpoints } from './services';
import { subgraphLimitEnv } from './subgraph-limits';

export class ConfigError extends Error {}

/** Parses `env` with `schema`; on failure throws one error listing every variable that is wrong and why. */
export function loadConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
/** The address a service listens on: this machine only, unless configured (containers set 0.0.0.0). */
// A blank value (HOST= in a .env file) means unset, not "listen on every interface".
export const host = z.preprocess((value) => (value === '' ? undefined : value), z.string().default('127.0.0.1'));
const postgresUrl = (variable: string) =>
  z
    .string({ error: `${variable} is required (postgres://user:password@host:port/database)` })
    .regex(/^postgres(ql)?:\/\//, `${variable} must start with postgres:// or postgresql://`);
export const databaseUrl = postgresUrl('DATABASE_URL');
// A blank value (SMTP_URL=, DIRECT_DATABASE_URL= in a .env file) means unset.
const unsetWhenBlank = (value: unknown) => (value === '' ? undefined : value);
/**
 * DIRECT_DATABASE_URL: the same database and role as DATABASE_URL, reached straight (or through a session-mode pool),
 * for what needs a session of its own: LISTEN and the migrations' advisory lock. Set it when DATABASE_URL goes through
 * a transaction-mode pooler such as PgBouncer, which would hand those sessions to other clients (docs/scaling.md).
 */
export const directDatabaseUrl = z.preprocess(unsetWhenBlank, postgresUrl('DIRECT_DATABASE_URL').optional());
export const routerSecret = z
  .string({ error: 'ROUTER_SECRET is required: the shared secret the gateway sends to prove a request came through it' })
  .min(16, 'ROUTER_SECRET must be at least 16 characters');
// Unset, they name identity on this machine at its default port, where `npm start` runs it.
const identity = identityEndpoints();
export const jwksUrl = z.url('JWKS_URL must be the URL of the identity service JWKS').default(identity.JWKS_URL);

export const introspectionUrl = z
  .url('INTROSPECTION_URL must be the URL of the identity service introspection endpoint')
  .default(identity.INTROSPECTION_URL);
/** Where the services ask whether an API key (`sk_…`, `pk_…`) works: organizations, which owns environments and keys. */
export const keyIntrospectionUrl = z
  .url('KEY_INTROSPECTION_URL must be the URL of the organizations service key introspection endpoint')
  .default(organizationsEndpoints().KEY_INTROSPECTION_URL);
export const credentialCacheSeconds = z.coerce.number().int().min(0).max(300).default(5);

/** MAX_QUERY_COST: the most one operation may cost; every subgraph's must be at least the gateway's, or plans it admits fail. */
export const maxQueryCost = z.coerce.number().int().min(1).default(DEFAULT_MAX_QUERY_COST);

/** How every service other than identity verifies credentials. */
export const verifierEnv = {
  ROUTER_SECRET: routerSecret,
  JWKS_URL: jwksUrl,
  INTROSPECTION_URL: introspectionUrl,
  KEY_INTROSPECTION_URL: keyIntrospectionUrl,
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
  DIRECT_DATABASE_URL: directDatabaseUrl,
  HOST: host,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  MAX_QUERY_COST: maxQueryCost,
  /** COMPILED_EXECUTION=false runs operations with graphql-js instead of graphql-jit (compiled-execution.ts). */
  COMPILED_EXECUTION: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  ...subgraphLimitEnv,
};

/** How a subgraph that sends email reaches its readers (see outbox-worker.ts). */
export const mailEnv = {
  SMTP_URL: z.preprocess(
    unsetWhenBlank,
    z
      .url('SMTP_URL must be a URL like smtp://user:password@mail.example.com:587 (or smtps:// for TLS from the start)')
      .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
      .optional(),
  ),
  MAIL_FROM: z
    .string()
    .regex(/\S@\S/, 'MAIL_FROM must be an address, like "Acme <no-reply@acme.example>" or no-reply@acme.example')
    .default('Organizations API <no-reply@localhost>'),
  APP_URL: z.url('APP_URL must be the URL of the frontend that links in emails open, like https://app.example.com').default('http://localhost:4000'),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(3600).default(30),
};
export type MailConfig = z.infer<z.ZodObject<typeof mailEnv>>;
