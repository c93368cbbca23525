// signUp and logIn: the two operations a caller without a token may use.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { IdentityContext } from '../context';
import { AuthPayload, LogInInput, SignUpInput } from './session.types';
import { issueAccessToken } from './tokens';
import type { User } from '../users/user.type';

async function signedIn(context: IdentityContext, user: User): Promise<AuthPayload> {
  const { token, expiresAt } = await issueAccessToken(context.keys, user.id, context.accessTokenTtlSeconds);
  return { accessToken: token, accessTokenExpiresAt: expiresAt, user };
}

@Resolver()
export class SessionResolver {
  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in.' })
  async signUp(@Arg('input', () => SignUpInput, { description: 'The new account.' }) input: SignUpInput, @Ctx() context: IdentityContext): Promise<AuthPayload> {
    return signedIn(context, await context.users.signUp(input));
  }

  @Mutation(() => AuthPayload, { description: 'Signs in with an email and password.' })
  async logIn(@Arg('input', () => LogInInput, { description: 'The credentials.' }) input: LogInInput, @Ctx() context: IdentityContext): Promise<AuthPayload> {
    return signedIn(context, await context.users.authenticate(input));
  }
}
