// A signed-in session as the API shows it, and what signing in returns.
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTime } from '@orgapi/shared';
import { providesViewerClaim, User } from '../users/user.type';

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
  @providesViewerClaim()
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

  /** The user the session belongs to: not shown, since sessions are only ever listed under their user. */
  userId!: string;
}
