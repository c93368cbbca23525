// Asking for a verification link, and using one.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireViewer } from '@orgapi/shared';
import type { IdentityContext } from '../context';
import { EmailLink } from '../email-links/email-link.type';
import { providesViewerClaim, User } from '../users/user.type';
import { VerifyEmailInput } from './email-verification.input';

@Resolver()
export class EmailVerificationResolver {
  @Mutation(() => EmailLink, {
    description:
      'Emails you a link that verifies your address (signing up sends one too); the previous link stops working. At most 5 an hour (RATE_LIMITED); CONFLICT when the address is verified already.',
  })
  requestEmailVerification(@Ctx() context: IdentityContext): Promise<EmailLink> {
    return context.emailVerification.request(requireViewer(context).userId);
  }

  @Mutation(() => User, {
    description:
      'Verifies the address a verification link was sent to, and returns its user. Needs no sign-in: the token is the proof. A used, expired or unknown token changes nothing and is BAD_USER_INPUT with `extensions.reason` `used`, `expired` or `invalid`.',
  })
  // The token proved the caller reads this user's mail: identity answers for the user itself, with no claim.
  @providesViewerClaim()
  async verifyEmail(@Arg('input', () => VerifyEmailInput, { description: 'The token from the link.' }) input: VerifyEmailInput, @Ctx() context: IdentityContext): Promise<User | null> {
    return context.loaders.user.load(await context.emailVerification.verify(input));
  }
}
