// Builds the identity subgraph's federated schema.
import { buildFederatedSchema, type FederatedSchema } from '@orgapi/shared';
import { PersonalAccessTokenResolver } from './tokens/personal-access-token.resolver';
import { SessionResolver, UserSessionsResolver } from './sessions/session.resolver';
import { resolveUserReference, UserResolver } from './users/user.resolver';

export function buildIdentitySchema(): Promise<FederatedSchema> {
  return buildFederatedSchema({
    resolvers: [UserResolver, SessionResolver, UserSessionsResolver, PersonalAccessTokenResolver],
    references: { User: resolveUserReference },
  });
}
