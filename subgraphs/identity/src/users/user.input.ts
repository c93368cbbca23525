// What signing up and changing a password take, and the rules they are checked against.
import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { displayName, emailAddress } from '@orgapi/shared';
import { newPassword } from './passwords';

/** An email address as stored: trimmed, in lower case, and valid. */
export const email = emailAddress();

@InputType({ description: 'A new account.' })
export class SignUpInput {
  @Field({ description: 'The email address to sign in with; must not belong to another account (case does not matter).' })
  email!: string;

  @Field({ description: 'At least 8 characters, not one of the most common passwords, not the email address.' })
  password!: string;

  @Field({ description: 'The name the user goes by.' })
  name!: string;
}

export const signUpInput = z.object({ email, password: newPassword, name: displayName() });

@InputType({ description: 'A password change.' })
export class ChangePasswordInput {
  @Field({ description: 'The password in use now.' })
  currentPassword!: string;

  @Field({ description: 'The new password: at least 8 characters, not one of the most common passwords.' })
  newPassword!: string;
}

export const changePasswordInput = z.object({ currentPassword: z.string(), newPassword });
