// API keys: an environment's list, and creating, rolling and revoking them.
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { ListSize } from '@orgapi/shared';
import { authorize, authorizeApiKey, authorizeEnvironmentChange } from '../access';
import { actorOf } from '../audit/actor';
import type { OrganizationsContext } from '../context';
import { Environment } from '../environments/environment.type';
import { CreateApiKeyInput, RevokeApiKeyInput, RollApiKeyInput } from './api-key.input';
import { LISTED_API_KEYS } from './api-key.loader';
import { ApiKey, ApiKeyWithSecret } from './api-key.type';

@Resolver(() => Environment)
export class EnvironmentApiKeysResolver {
  @FieldResolver(() => [ApiKey], { description: `The environment's keys, newest first: every one that works and the latest revoked and expired ones, ${LISTED_API_KEYS} at most. Needs \`keys:read\`.` })
  @ListSize(LISTED_API_KEYS)
  async apiKeys(@Root() environment: Environment, @Ctx() context: OrganizationsContext): Promise<ApiKey[]> {
    await authorize(context, environment.organizationId, 'keys:read', 'Environment');
    return context.loaders.environmentApiKeys.load(environment.id);
  }

  @Mutation(() => ApiKeyWithSecret, { description: 'Creates a key for an environment and returns its secret, this once. Needs `keys:manage`.' })
  async createApiKey(
    @Arg('input', () => CreateApiKeyInput, { description: 'The environment, the kind of key and its name.' }) input: CreateApiKeyInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<ApiKeyWithSecret> {
    await authorizeEnvironmentChange(context, input.environmentId, 'keys:manage');
    return context.apiKeys.create(actorOf(context), input.environmentId, input);
  }

  @Mutation(() => ApiKeyWithSecret, {
    description: 'Issues a new secret for a key and keeps the old one working for `expiresInHours` (0: stops now, for a leaked key). Returns the new key and its secret, this once. Needs `keys:manage`.',
  })
  async rollApiKey(
    @Arg('input', () => RollApiKeyInput, { description: 'The key and how long its old secret keeps working.' }) input: RollApiKeyInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<ApiKeyWithSecret> {
    await authorizeApiKey(context, input.apiKeyId, 'keys:manage');
    return context.apiKeys.roll(actorOf(context), input.apiKeyId, input);
  }

  @Mutation(() => ApiKey, { description: 'Revokes a key: every service refuses it from the next request. Needs `keys:manage`.' })
  async revokeApiKey(
    @Arg('input', () => RevokeApiKeyInput, { description: 'The key to revoke.' }) input: RevokeApiKeyInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<ApiKey> {
    await authorizeApiKey(context, input.apiKeyId, 'keys:manage');
    return context.apiKeys.revoke(actorOf(context), input.apiKeyId);
  }
}
