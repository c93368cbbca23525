// Starts the identity service: config → database → schema → server.
import { z } from 'zod';
import { port, runService, sendJson, startSubgraph, subgraphEnv, type RunningSubgraph, type SubgraphDefinition } from '@orgapi/shared';
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

export const identitySubgraph = {
  name: 'identity',
  database: { schema: 'identity', entities: [UserEntity], migrations },
  buildSchema: buildIdentitySchema,
  async setup(db, config) {
    const keys = await SigningKeys.load(db);
    const users = new UserService(db);
    return {
      verifier: keys.verifier(),
      perRequest: () => ({ users, keys, accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS, loaders: { user: userLoader(db) } }),
      routes: {
        '/.well-known/jwks.json': (_req, res) => sendJson(res, 200, keys.jwks, { 'cache-control': 'public, max-age=300' }),
      },
    };
  },
} satisfies SubgraphDefinition<IdentityConfig, object>;

export function startIdentity(config: IdentityConfig): Promise<RunningSubgraph> {
  return startSubgraph(identitySubgraph, config);
}

if (require.main === module) runService('identity', identityEnv, startIdentity);
export * from './demo';
