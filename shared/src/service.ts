// The start sequence every subgraph follows (config → database → schema → server), and the process entry point.
import type { IncomingMessage } from 'node:http';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { CredentialVerifier, type CredentialStatus, type Principal } from './auth';
import { ConfigError, loadConfig } from './config';
import { contextFactory, type BaseRequestContext, type RequestReads } from './context';
import { dataChangeChannel } from './data-change-triggers';
import { openDatabase, type DatabaseOptions } from './database';
import { subgraphServer, type FederatedSchema } from './federation';
import { serve, type Route, type RunningServer } from './server';
import { subgraphLimits, type SubgraphLimitConfig } from './subgraph-limits';
import { logger } from './logger';
import { RevocationListener } from './revocation-listener';

export interface SubgraphConfig extends SubgraphLimitConfig {
  DATABASE_URL: string;
  /** DATABASE_URL without a transaction-mode pooler in between, for LISTEN and migrations (config.ts); unset: DATABASE_URL. */
  DIRECT_DATABASE_URL?: string;
  DATABASE_POOL_SIZE: number;
  ROUTER_SECRET: string;
  JWKS_URL: string;
  INTROSPECTION_URL: string;
  KEY_INTROSPECTION_URL: string;
  CREDENTIAL_CACHE_SECONDS: number;
  MAX_QUERY_COST: number;
  /** Operations compiled by graphql-jit (true) or run by graphql-js. */
  COMPILED_EXECUTION?: boolean;
  HOST: string;
  PORT: number;
}

export interface SubgraphParts<Extra extends object> {
  /** Verifies credentials; by default against the identity service's JWKS. */
  verifier?: CredentialVerifier;
  /** Answers about API keys in-process (organizations, which owns them); by default asked of KEY_INTROSPECTION_URL. */
  introspectKey?: (secret: string) => Promise<CredentialStatus>;
  /** What each request's context holds besides the caller: services and fresh DataLoaders. */
  perRequest: (principal: Principal | null, req: IncomingMessage, reads: RequestReads) => Extra;
  routes?: Record<string, Route>;
  /** Routes only the gateway and the other services may call (they carry the router secret). */
  internalRoutes?: Record<string, Route>;
  /** Releases what setup started (timers, the outbox worker), before the database closes. */
  stop?: () => void | Promise<void>;
}

export interface SubgraphDefinition<Config extends SubgraphConfig, Extra extends object> {
  name: string;
  database: Pick<DatabaseOptions, 'schema' | 'entities' | 'migrations'>;
  buildSchema: () => Promise<FederatedSchema>;
  /**
   * Wires the services to the open database. `changes` hears the schema's data changes (and credential revocations):
   * loaders read through `preparedReads(db, changes)` to keep results between requests.
   */
  setup: (db: DataSource, config: Config, changes: RevocationListener) => Promise<SubgraphParts<Extra>>;
}

export interface RunningSubgraph extends RunningServer {
  db: DataSource;
}

export async function startSubgraph<Config extends SubgraphConfig, Extra extends object>(
  definition: SubgraphDefinition<Config, Extra>,
  config: Config,
): Promise<RunningSubgraph> {
  // LISTEN and the migrations' lock need sessions of their own, which a transaction-mode pooler on DATABASE_URL would not keep.
  const directUrl = config.DIRECT_DATABASE_URL ?? config.DATABASE_URL;
  const db = await openDatabase({ ...definition.database, url: config.DATABASE_URL, directUrl, poolSize: config.DATABASE_POOL_SIZE });
  // Kept outside the try, so that what setup started (the outbox worker) is stopped if a later step fails.
  let started: SubgraphParts<Extra> | undefined;
  // Hears revocations (to drop cached answers about credentials) and the schema's data changes (to drop kept reads).
  const revocations = new RevocationListener(directUrl, dataChangeChannel(definition.database.schema));
  try {
    await revocations.start();
    const parts = (started = await definition.setup(db, config, revocations));
    const { schema } = await definition.buildSchema();
    const limits = subgraphLimits(config);
    const server = await serve({
      apollo: subgraphServer<BaseRequestContext & Extra>(schema, limits, config.MAX_QUERY_COST, config.COMPILED_EXECUTION ?? true),
      port: config.PORT,
      host: config.HOST,
      routerSecret: config.ROUTER_SECRET,
      routerBodyBytes: limits.routerBodyBytes,
      context: contextFactory(
        parts.verifier ??
          CredentialVerifier.remote({
            jwksUrl: config.JWKS_URL,
            introspectionUrl: config.INTROSPECTION_URL,
            keyIntrospectionUrl: config.KEY_INTROSPECTION_URL,
            introspectKey: parts.introspectKey,
            routerSecret: config.ROUTER_SECRET,
            cacheSeconds: config.CREDENTIAL_CACHE_SECONDS,
            revocations,
          }),
        parts.perRequest,
      ),
      routes: parts.routes,
      internalRoutes: parts.internalRoutes,
    });
    return {
      ...server,
      db,
      async stop() {
        await server.stop();
        await parts.stop?.();
        await revocations.stop();
        await db.destroy();
      },
    };
  } catch (error) {
    await started?.stop?.();
    await revocations.stop();
    await db.destroy();
    throw error;
  }
}

/** Runs a service as its own process: validated config, start, log the URL, stop cleanly on SIGINT/SIGTERM. */
export function runService<S extends z.ZodType>(name: string, env: S, start: (config: z.infer<S>) => Promise<RunningServer>): void {
  // Every log line of this process says which service wrote it.
  logger.setBindings({ service: name });
  let config: z.infer<S>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(78);
  }
  start(config).then(
    (service) => {
      logger.info({ service: name, url: service.url }, `${name} ready`);
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        void service.stop().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // Started by `npm start` (an IPC channel): stop when the launcher goes away, however it went.
      process.once('disconnect', stop);
      process.send?.({ ready: true, url: service.url });
    },
    (error: unknown) => {
      logger.fatal({ service: name, err: error }, `${name} failed to start`);
      process.exit(1);
    },
  );
}
