// What logging in takes. The credentials are only normalised here: checking them is the users area's job.
import { Field, InputType } from 'type-graphql';
import { z } from 'zod';

@InputType({ description: 'Credentials of an existing account.' })
export class LogInInput {
  @Field({ description: 'The email address of the account.' })
  email!: string;

  @Field({ description: 'The account password.' })
  password!: string;
}

export const logInInput = z.object({ email: z.string().trim().toLowerCase(), password: z.string() });
