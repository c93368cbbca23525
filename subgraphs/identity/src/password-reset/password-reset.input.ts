// What asking for a password reset and resetting a password take.
import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { linkToken } from '../email-links/email-link.input';
import { newPassword } from '../users/passwords';
import { email } from '../users/user.input';

@InputType({ description: 'The account whose password is forgotten.' })
export class RequestPasswordResetInput {
  @Field({ description: 'The email address of the account (case does not matter).' })
  email!: string;
}

export const requestPasswordResetInput = z.object({ email });

@InputType({ description: 'A new password, with the token that proves the right to set it.' })
export class ResetPasswordInput {
  @Field({ description: 'The `token` parameter of the link in the password reset email.' })
  token!: string;

  @Field({ description: 'At least 8 characters, not one of the most common passwords, not the email address.' })
  newPassword!: string;
}

export const resetPasswordInput = z.object({ token: linkToken, newPassword });
