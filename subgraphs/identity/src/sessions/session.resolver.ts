// Signing up, in and out, refreshing sessions and changing passwords; the viewer's sessions.
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { forbidden, requireSession, requireViewer } from '@orgapi/shared';
import type { IdentityContext } from '../context';
import { User } from '../users/user.type';
import type { SessionRecord } from './session.service';
import { AuthPayload, ChangePasswordInput, LogInInput, Session, SignUpInput } from './session.types';

const asSession = (record: SessionRecord, context: IdentityContext): Session => ({ ...record, current: record.id === context.principal?.sessionId });

/** The caller, who must be the user whose private fields (sessions, tokens) are asked for. */
export function ownUser(user: User, context: IdentityContext, what: string): string {
  const id = requireViewer(context).userId;
  if (user.id !== id) throw forbidden(`Only you can see your ${what}.`);
  return id;
}

@Resolver()
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
  async logOut(@Ctx() context: IdentityContext): Promise<Session> {
    return asSession(await context.auth.logOut(requireSession(context, 'log out')), context);
  }

  @Mutation(() => Session, { description: 'Ends one of your sessions, for example on a lost device.' })
  async revokeSession(@Arg('id', () => ID, { description: 'The session to end.' }) id: string, @Ctx() context: IdentityContext): Promise<Session> {
    return asSession(await context.sessions.revoke(requireViewer(context).userId, id, 'revoked'), context);
  }

  @Mutation(() => User, { description: 'Changes your password (the current one is required) and ends your other sessions.' })
  async changePassword(
    @Arg('input', () => ChangePasswordInput, { description: 'The current and the new password.' }) input: ChangePasswordInput,
    @Ctx() context: IdentityContext,
  ): Promise<User | null> {
    const principal = requireSession(context, 'change your password');
    await context.auth.changePassword(principal, input);
    return context.loaders.user.load(principal.userId);
  }
}

@Resolver(() => User)
export class UserSessionsResolver {
  @FieldResolver(() => [Session], {
    nullable: true,
    description: 'Your active sessions, most recently used first. Only for yourself: null with a FORBIDDEN error for anyone else.',
  })
  async sessions(@Root() user: User, @Ctx() context: IdentityContext): Promise<Session[]> {
    const records = await context.sessions.active(ownUser(user, context, 'sessions'));
    return records.map((record) => asSession(record, context));
  }
}
