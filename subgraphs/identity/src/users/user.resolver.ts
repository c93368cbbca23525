// Query.viewer and resolving User references for the other subgraphs.
import { Ctx, Query, Resolver } from 'type-graphql';
import { requireViewer } from '@orgapi/shared';
import type { IdentityContext } from '../context';
import { User } from './user.type';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in user. Needs a token (UNAUTHENTICATED without one).' })
  async viewer(@Ctx() context: IdentityContext): Promise<User | null> {
    return context.loaders.user.load(requireViewer(context).userId);
  }
}

/** Entity references arrive only through the gateway, from subgraphs that checked the caller may see this user. */
export function resolveUserReference(reference: { id: string }, context: IdentityContext): Promise<User | null> {
  return context.loaders.user.load(reference.id);
}
