// What verifying an email address takes.
import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { linkToken } from '../email-links/email-link.input';

@InputType({ description: 'The token from a verification link.' })
export class VerifyEmailInput {
  @Field({ description: 'The `token` parameter of the link in the verification email.' })
  token!: string;
}

export const verifyEmailInput = z.object({ token: linkToken });
