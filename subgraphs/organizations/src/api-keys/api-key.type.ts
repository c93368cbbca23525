// The ApiKey API type and the payload that carries a secret, once.
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTime, enumOf } from '@orgapi/shared';
import { User } from '../memberships/membership.type';
import { API_KEY_KINDS, API_KEY_STATUSES, type ApiKeyKind as Kind, type ApiKeyStatus as Status } from './api-key-secret';

export const ApiKeyKind = enumOf('ApiKeyKind', 'What a key may be used for.', API_KEY_KINDS, {
  PUBLISHABLE: "`pk_test_…`/`pk_live_…`: safe to put in a browser or app; identifies the environment and reads its public configuration (`configuration.public`), nothing more.",
  SECRET: "`sk_test_…`/`sk_live_…`: for your servers only; acts for its environment (reads it, its project and configuration; records usage).",
});

export const ApiKeyStatus = enumOf('ApiKeyStatus', 'Whether a key works.', API_KEY_STATUSES, {
  ACTIVE: 'Works.',
  ROLLED: 'Replaced by a new key (`replacedBy`) and still works until `expiresAt`, the end of its grace period.',
  EXPIRED: 'Past `expiresAt`: refused (reason `expired`, or `rolled` for a rolled key past its grace period).',
  REVOKED: 'Revoked: refused (reason `revoked`).',
});

@ObjectType({ simpleResolvers: true, description: "A key for one environment. Its secret is shown once, when created or rolled; afterwards only its prefix and last four characters." })
export class ApiKey {
  @Field(() => ID, { description: 'Opaque ID, prefixed `key_`.' })
  id!: string;

  @Field({ description: 'What the key is for, as its creator named it.' })
  name!: string;

  @Field(() => ApiKeyKind, { description: 'PUBLISHABLE or SECRET.' })
  kind!: Kind;

  @Field({ description: 'The start of the secret, to recognise it: `sk_live_AbCd`.' })
  prefix!: string;

  @Field({ description: 'The last four characters of the secret.' })
  lastFour!: string;

  @Field(() => ApiKeyStatus, { description: 'ACTIVE, ROLLED (in its grace period), EXPIRED or REVOKED, as of now.' })
  status!: Status;

  @Field(() => User, { nullable: true, description: 'Who created it.' })
  createdBy!: User | null;

  @Field(() => DateTime, { description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When it stops working (for a rolled key, the end of its grace period); null: never.' })
  expiresAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'When it was last used, to the minute; null: never.' })
  lastUsedAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'When it was revoked; null: it was not.' })
  revokedAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'When it was rolled; null: it was not.' })
  rolledAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The key that replaced it when it was rolled.' })
  replacedBy!: string | null;

  // Not in the schema: access is checked against the organization; the environment groups the list.
  organizationId!: string;
  projectId!: string;
  environmentId!: string;
}

@ObjectType({ description: 'A new key with its secret: shown here once, never again.' })
export class ApiKeyWithSecret {
  @Field(() => ApiKey, { description: 'The key.' })
  apiKey!: ApiKey;

  @Field({ description: 'The whole secret. Store it now: only its hash is kept.' })
  secret!: string;
}
