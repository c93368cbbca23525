// Asking for a password reset link, and using one to set a new password.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { IdentityContext } from '../context';
import { EmailLink } from '../email-links/email-link.type';
import { providesViewerClaim, User } from '../users/user.type';
import { RequestPasswordResetInput, ResetPasswordInput } from './password-reset.input';

@Resolver()
export class PasswordResetResolver {
  @Mutation(() => EmailLink, {
    description:
      'Emails a link to choose a new password, if an account has this address. The answer is the same, and takes as long, whether or not one has. At most 3 an hour per address (RATE_LIMITED).',
  })
  requestPasswordReset(
    @Arg('input', () => RequestPasswordResetInput, { description: 'The address of the account.' }) input: RequestPasswordResetInput,
    @Ctx() context: IdentityContext,
  ): Promise<EmailLink> {
    return context.passwordResets.request(input, context.client);
  }

  @Mutation(() => User, {
    description:
      "Sets a new password with the token from a reset link, ends every session of the account (sign in again with the new password) and verifies the account's address. A used, expired or unknown token changes nothing and is BAD_USER_INPUT with `extensions.reason` `used`, `expired` or `invalid`.",
  })
  // The token proved the caller reads this user's mail: identity answers for the user itself, with no claim.
  @providesViewerClaim()
  async resetPassword(@Arg('input', () => ResetPasswordInput, { description: 'The token and the new password.' }) input: ResetPasswordInput, @Ctx() context: IdentityContext): Promise<User | null> {
    return context.loaders.user.load(await context.passwordResets.reset(input));
  }
}
