// Starts the identity service: config → database → schema → server.
import { z } from 'zod';
import { contextFactory, loadConfig, logger, openDatabase, port, sendJson, serve, subgraphEnv, subgraphServer, type RunningServer } from '@orgapi/shared';
import type { DataSource } from 'typeorm';
import type { IdentityContext } from './context';
import { migrations } from './migrations';
import { buildIdentitySchema } from './schema';
import { SigningKeys } from './sessions/signing-keys';
import { UserEntity } from './users/user.entity';
import { userLoader } from './users/user.loader';
import { UserService } from './users/user.service';

export const identityEnv = z.object({
  ...subgraphEnv,
  PORT: port(4001),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
});
export type IdentityConfig = z.infer<typeof identityEnv>;

export const SCHEMA = 'identity';
export const entities = [UserEntity];
export { migrations, buildIdentitySchema };

export interface IdentityService extends RunningServer {
  db: DataSource;
}

export async function startIdentity(config: IdentityConfig): Promise<IdentityService> {
  const db = await openDatabase({ url: config.DATABASE_URL, schema: SCHEMA, entities, migrations, poolSize: config.DATABASE_POOL_SIZE });
  const keys = await SigningKeys.load(db);
  const users = new UserService(db);
  const { schema } = await buildIdentitySchema();
  const apollo = subgraphServer<IdentityContext>(schema);
  const server = await serve({
    apollo,
    port: config.PORT,
    host: config.HOST,
    routerSecret: config.ROUTER_SECRET,
    context: contextFactory(keys.verifier(), () => ({
      users,
      keys,
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      loaders: { user: userLoader(db) },
    })),
    routes: {
      '/.well-known/jwks.json': (_req, res) => sendJson(res, 200, keys.jwks, { 'cache-control': 'public, max-age=300' }),
    },
  });
  return {
    ...server,
    db,
    async stop() {
      await server.stop();
      await db.destroy();
    },
  };
}

if (require.main === module) {
  const config = loadConfig(identityEnv);
  startIdentity(config).then(
    (service) => {
      logger.info({ url: service.url }, 'identity subgraph ready');
      const stop = () => void service.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      logger.fatal({ err: error }, 'identity subgraph failed to start');
      process.exit(1);
    },
  );
}
