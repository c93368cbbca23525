// Creating, listing and revoking personal access tokens.
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { DateTime, requireSession, requireViewer } from '@orgapi/shared';
import type { IdentityContext } from '../context';
import { User } from '../users/user.type';
import type { PersonalAccessTokenRecord } from './personal-access-token.service';
import { ownUser } from '../sessions/session.resolver';
import { CreatePersonalAccessTokenPayload, PersonalAccessToken } from '../sessions/session.types';

@Resolver(() => User)
export class PersonalAccessTokenResolver {
  @Mutation(() => CreatePersonalAccessTokenPayload, { description: 'Creates a personal access token. The secret is in the answer and never shown again.' })
  async createPersonalAccessToken(
    @Arg('name', { description: 'What the token is for, e.g. "CI deploys".' }) name: string,
    @Arg('expiresAt', () => DateTime, { nullable: true, description: 'When the token stops working; omit for never.' }) expiresAt: Date | null,
    @Ctx() context: IdentityContext,
  ): Promise<CreatePersonalAccessTokenPayload> {
    const { userId } = requireSession(context, 'create personal access tokens');
    const { token, record } = await context.tokens.create(userId, { name, expiresAt });
    return { token, personalAccessToken: record };
  }

  @Mutation(() => PersonalAccessToken, { description: 'Revokes one of your personal access tokens: it stops working at once.' })
  revokePersonalAccessToken(@Arg('id', () => ID, { description: 'The token to revoke.' }) id: string, @Ctx() context: IdentityContext): Promise<PersonalAccessTokenRecord> {
    return context.tokens.revoke(requireViewer(context).userId, id);
  }

  @FieldResolver(() => [PersonalAccessToken], {
    nullable: true,
    description: 'Your personal access tokens that are not revoked, newest first. Only for yourself: null with a FORBIDDEN error for anyone else.',
  })
  personalAccessTokens(@Root() user: User, @Ctx() context: IdentityContext): Promise<PersonalAccessTokenRecord[]> {
    return context.tokens.list(ownUser(user, context, 'personal access tokens'));
  }
}
