// A personal access token as the API shows it, and what creating one returns.
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTime } from '@orgapi/shared';

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

  /** The user the token acts for: not shown, since tokens are only ever listed under their user. */
  userId!: string;
}

@ObjectType({ simpleResolvers: true, description: 'A new personal access token, with its secret.' })
export class CreatePersonalAccessTokenPayload {
  @Field({ description: 'The secret: send it as `Authorization: Bearer <token>`. Store it now; it is never shown again.' })
  token!: string;

  @Field(() => PersonalAccessToken, { description: 'The token as it will be listed.' })
  personalAccessToken!: PersonalAccessToken;
}
