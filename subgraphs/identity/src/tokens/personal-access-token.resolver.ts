// Creating, listing and revoking personal access tokens.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { ListSize, requireSession, requireViewer } from '@orgapi/shared';
import { authorizeSelf } from '../access';
import type { IdentityContext } from '../context';
import { requiresViewerClaim, User } from '../users/user.type';
import { CreatePersonalAccessTokenArgs } from './personal-access-token.input';
import { MAX_TOKENS_PER_USER } from './personal-access-token.service';
import { CreatePersonalAccessTokenPayload, PersonalAccessToken } from './personal-access-token.type';

@Resolver(() => User)
export class PersonalAccessTokenResolver {
  @Mutation(() => CreatePersonalAccessTokenPayload, { description: 'Creates a personal access token. The secret is in the answer and never shown again.' })
  createPersonalAccessToken(@Args() args: CreatePersonalAccessTokenArgs, @Ctx() context: IdentityContext): Promise<CreatePersonalAccessTokenPayload> {
    return context.tokens.create(requireSession(context, 'create personal access tokens').userId, args);
  }

  @Mutation(() => PersonalAccessToken, { description: 'Revokes one of your personal access tokens: it stops working at once.' })
  revokePersonalAccessToken(@Arg('id', () => ID, { description: 'The token to revoke.' }) id: string, @Ctx() context: IdentityContext): Promise<PersonalAccessToken> {
    return context.tokens.revoke(requireViewer(context).userId, id);
  }

  @FieldResolver(() => [PersonalAccessToken], {
    nullable: true,
    description: 'Your personal access tokens that are not revoked, newest first. Only for yourself: null with a FORBIDDEN error for anyone else.',
  })
  @ListSize(MAX_TOKENS_PER_USER)
  @requiresViewerClaim()
  personalAccessTokens(@Root() user: User, @Ctx() context: IdentityContext): Promise<PersonalAccessToken[]> {
    return context.loaders.personalAccessTokens.load(authorizeSelf(context, user, 'personal access tokens'));
  }
}
