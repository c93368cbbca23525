// The inputs and payload of signing up and logging in.
import { Field, InputType, ObjectType } from 'type-graphql';
import { DateTime } from '@orgapi/shared';
import { User } from '../users/user.type';

@InputType({ description: 'A new account.' })
export class SignUpInput {
  @Field({ description: 'The email address to sign in with; must not belong to another account.' })
  email!: string;

  @Field({ description: 'At least 8 characters.' })
  password!: string;

  @Field({ description: 'The name the user goes by.' })
  name!: string;
}

@InputType({ description: 'Credentials of an existing account.' })
export class LogInInput {
  @Field({ description: 'The email address of the account.' })
  email!: string;

  @Field({ description: 'The account password.' })
  password!: string;
}

@ObjectType({ description: 'A signed-in session: send `accessToken` as `Authorization: Bearer <accessToken>`.' })
export class AuthPayload {
  @Field({ description: 'A short-lived signed token (JWT) that proves who you are.' })
  accessToken!: string;

  @Field(() => DateTime, { description: 'When `accessToken` stops being accepted.' })
  accessTokenExpiresAt!: Date;

  @Field(() => User, { description: 'The signed-in user.' })
  user!: User;
}
