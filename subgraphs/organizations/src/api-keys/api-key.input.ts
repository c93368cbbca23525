// The inputs of the API key mutations; api-key.service.ts validates them.
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTime } from '@orgapi/shared';
import { ApiKeyKind } from './api-key.type';
import type { ApiKeyKind as Kind } from './api-key-secret';

/** The longest grace period a rolled key keeps working, as Stripe allows: a week. */
export const MAX_ROLL_GRACE_HOURS = 7 * 24;

@InputType({ description: 'A new API key.' })
export class CreateApiKeyInput {
  @Field(() => ID, { description: 'The environment the key acts for.' })
  environmentId!: string;

  @Field(() => ApiKeyKind, { description: 'PUBLISHABLE or SECRET.' })
  kind!: Kind;

  @Field({ description: 'What the key is for (1–100 characters): "Checkout server", "iOS app".' })
  name!: string;

  @Field(() => DateTime, { nullable: true, description: 'When it stops working, in the future; null: never.' })
  expiresAt?: Date | null;
}

@InputType({ description: 'A key to replace with a new secret.' })
export class RollApiKeyInput {
  @Field(() => ID, { description: 'The key to roll.' })
  apiKeyId!: string;

  @Field(() => Int, { description: `How many hours the old secret keeps working, 0 (now: for a leaked key) to ${MAX_ROLL_GRACE_HOURS} (a week).` })
  expiresInHours!: number;
}

@InputType({ description: 'A key to revoke.' })
export class RevokeApiKeyInput {
  @Field(() => ID, { description: 'The key to revoke: it stops working at once, everywhere.' })
  apiKeyId!: string;
}
