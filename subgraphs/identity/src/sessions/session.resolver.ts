// Signing up, in and out, refreshing sessions and changing passwords; the viewer's sessions.
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { ListSize, requireSession, requireViewer } from '@orgapi/shared';
import { authorizeSelf } from '../access';
import type { IdentityContext } from '../context';
import { ChangePasswordInput, SignUpInput } from '../users/user.input';
import { providesViewerClaim, requiresViewerClaim, User } from '../users/user.type';
import { LogInInput } from './session.input';
import { AuthPayload, Session } from './session.type';

@Resolver(() => Session)
export class SessionResolver {
  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in.' })
  signUp(@Arg('input', () => SignUpInput, { description: 'The new account.' }) input: SignUpInput, @Ctx() context: IdentityContext): Promise<AuthPayload> {
    return context.auth.signUp(input, context.client);
  }

  @Mutation(() => AuthPayload, {
    description: 'Signs in with an email and password. Repeated failures slow down and then refuse attempts for a while (RATE_LIMITED).',
  })
  logIn(@Arg('input', () => LogInInput, { description: 'The credentials.' }) input: LogInInput, @Ctx() context: IdentityContext): Promise<AuthPayload> {
    return context.auth.logIn(input, context.client);
  }

  @Mutation(() => AuthPayload, { description: 'Trades a refresh token for a new access token and a new refresh token.' })
  refreshSession(
    @Arg('refreshToken', { description: 'The refresh token from the last signUp, logIn or refreshSession.' }) refreshToken: string,
    @Ctx() context: IdentityContext,
  ): Promise<AuthPayload> {
    return context.auth.refresh(refreshToken, context.client, (id) => context.loaders.user.load(id));
  }

  @Mutation(() => Session, { description: 'Ends the current session: its access and refresh tokens stop working.' })
  logOut(@Ctx() context: IdentityContext): Promise<Session> {
    return context.auth.logOut(requireSession(context, 'log out'));
  }

  @Mutation(() => Session, { description: 'Ends one of your sessions, for example on a lost device.' })
  revokeSession(@Arg('id', () => ID, { description: 'The session to end.' }) id: string, @Ctx() context: IdentityContext): Promise<Session> {
    return context.sessions.revoke(requireViewer(context).userId, id, 'revoked');
  }

  @Mutation(() => User, { description: 'Changes your password (the current one is required) and ends your other sessions.' })
  @providesViewerClaim()
  async changePassword(
    @Arg('input', () => ChangePasswordInput, { description: 'The current and the new password.' }) input: ChangePasswordInput,
    @Ctx() context: IdentityContext,
  ): Promise<User | null> {
    const principal = requireSession(context, 'change your password');
    await context.auth.changePassword(principal, input);
    return context.loaders.user.load(principal.userId);
  }

  // Whether a session is the caller's own is a fact about the request, not about the stored session.
  @FieldResolver(() => Boolean, { description: 'True for the session making this request.' })
  current(@Root() session: Session, @Ctx() context: IdentityContext): boolean {
    return session.id === context.principal?.sessionId;
  }
}

@Resolver(() => User)
export class UserSessionsResolver {
  @FieldResolver(() => [Session], {
    nullable: true,
    description: 'Your active sessions, most recently used first. Only for yourself: null with a FORBIDDEN error for anyone else.',
  })
  // Not bounded by a rule: a person signed in on many devices and browsers, and not yet signed out of old ones.
  @ListSize(50)
  @requiresViewerClaim()
  sessions(@Root() user: User, @Ctx() context: IdentityContext): Promise<Session[]> {
    return context.loaders.sessions.load(authorizeSelf(context, user, 'sessions'));
  }
}
