// Builds the identity subgraph's federated schema: its resolvers, and the entity it resolves for the others.
import { buildFederatedSchema, type FederatedSchema } from '@orgapi/shared';
// Import order is the order of fields and types in the printed schema: keep sessions before tokens.
import { SessionResolver, UserSessionsResolver } from './sessions/session.resolver';
import { PersonalAccessTokenResolver } from './tokens/personal-access-token.resolver';
import { resolveUserReference, UserResolver } from './users/user.resolver';
import { EmailVerificationResolver } from './email-verification/email-verification.resolver';
import { PasswordResetResolver } from './password-reset/password-reset.resolver';

export function buildIdentitySchema(): Promise<FederatedSchema> {
  return buildFederatedSchema({
    resolvers: [UserResolver, SessionResolver, UserSessionsResolver, PersonalAccessTokenResolver, EmailVerificationResolver, PasswordResetResolver],
    references: { User: resolveUserReference },
  });
}
