// Builds the identity subgraph's federated schema.
import { buildFederatedSchema, type FederatedSchema } from '@orgapi/shared';
import { SessionResolver } from './sessions/session.resolver';
import { resolveUserReference, UserResolver } from './users/user.resolver';

export function buildIdentitySchema(): Promise<FederatedSchema> {
  return buildFederatedSchema({
    resolvers: [UserResolver, SessionResolver],
    references: { User: resolveUserReference },
  });
}
