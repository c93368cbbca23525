// The inputs and payloads of signing in, and the sessions and tokens a user can list.
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTime } from '@orgapi/shared';
import { User } from '../users/user.type';

@InputType({ description: 'A new account.' })
export class SignUpInput {
  @Field({ description: 'The email address to sign in with; must not belong to another account (case does not matter).' })
  email!: string;

  @Field({ description: 'At least 8 characters, not one of the most common passwords, not the email address.' })
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

@InputType({ description: 'A password change.' })
export class ChangePasswordInput {
  @Field({ description: 'The password in use now.' })
  currentPassword!: string;

  @Field({ description: 'The new password: at least 8 characters, not one of the most common passwords.' })
  newPassword!: string;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'A signed-in session. Send `accessToken` as `Authorization: Bearer <accessToken>`; before it expires, trade `refreshToken` for a new pair with `refreshSession`.',
})
export class AuthPayload {
  @Field({ description: 'A short-lived signed token (JWT) that proves who you are.' })
  accessToken!: string;

  @Field(() => DateTime, { description: 'When `accessToken` stops being accepted.' })
  accessTokenExpiresAt!: Date;

  @Field({ description: 'An opaque token that renews the session once: each use returns a new one, and reusing an old one ends the session.' })
  refreshToken!: string;

  @Field(() => User, { description: 'The signed-in user.' })
  user!: User;
}

@ObjectType({ simpleResolvers: true, description: 'A signed-in session: a browser or device where the user logged in.' })
export class Session {
  @Field(() => ID, { description: 'Opaque ID, prefixed `ses_`.' })
  id!: string;

  @Field(() => DateTime, { description: 'When the user logged in.' })
  createdAt!: Date;

  @Field(() => DateTime, { description: 'When the session was last refreshed.' })
  lastUsedAt!: Date;

  @Field(() => DateTime, { description: 'When the session ends at the latest, however often it is refreshed.' })
  expiresAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When the session was ended, if it was.' })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The browser or client that logged in, as it described itself.' })
  userAgent!: string | null;

  @Field(() => String, { nullable: true, description: 'The address the session was last used from.' })
  ipAddress!: string | null;

  @Field({ description: 'True for the session making this request.' })
  current!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'A personal access token for scripts and CI. Its secret is shown only once, when created.' })
export class PersonalAccessToken {
  @Field(() => ID, { description: 'Opaque ID, prefixed `tok_`.' })
  id!: string;

  @Field({ description: 'What the token is for, chosen by its owner.' })
  name!: string;

  @Field({ description: 'The first characters of the secret (`pat_…`), to recognise it.' })
  prefix!: string;

  @Field(() => DateTime, { description: 'When the token was created.' })
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When the token was last used (to the minute), if ever.' })
  lastUsedAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'When the token stops working; null for never.' })
  expiresAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'When the token was revoked, if it was.' })
  revokedAt!: Date | null;
}

@ObjectType({ simpleResolvers: true, description: 'A new personal access token, with its secret.' })
export class CreatePersonalAccessTokenPayload {
  @Field({ description: 'The secret: send it as `Authorization: Bearer <token>`. Store it now; it is never shown again.' })
  token!: string;

  @Field(() => PersonalAccessToken, { description: 'The token as it will be listed.' })
  personalAccessToken!: PersonalAccessToken;
}
