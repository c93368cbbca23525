// Query.viewer and resolving User references for the other subgraphs.
import { Ctx, Query, Resolver } from 'type-graphql';
import { requireViewer } from '@orgapi/shared';
import { canSee } from '../access';
import type { IdentityContext } from '../context';
import { providesViewerClaim, User } from './user.type';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in user. Needs a token (UNAUTHENTICATED without one).' })
  @providesViewerClaim()
  async viewer(@Ctx() context: IdentityContext): Promise<User | null> {
    return context.loaders.user.load(requireViewer(context).userId);
  }
}

/**
 * Users handed over by another subgraph: null, exactly as for an ID that does not exist, unless the caller is the
 * user or the representation carries organizations' claim that they may see them. Nothing of the representation
 * but its ID and claim is read: the router's word is not taken for anything else.
 */
export async function resolveUserReference(reference: { id: string; viewerPermissionsClaim?: unknown }, context: IdentityContext): Promise<User | null> {
  if (!context.principal) return null;
  // Read alongside the check, so the users of one request are read in one statement however each one is seen.
  const [visible, user] = await Promise.all([canSee(context, reference), context.loaders.user.load(reference.id)]);
  return visible ? user : null;
}
