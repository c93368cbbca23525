// Inputs of recordUsage and recordUsageBatch.
import { Field, ID, InputType } from 'type-graphql';
import { DateTime, JSONObject, SafeInt } from '@orgapi/shared';
import { MAX_AGE_DAYS, MAX_BATCH_EVENTS, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_METADATA_BYTES, MAX_METADATA_KEYS } from './usage-event-rules';

@InputType({ description: 'One usage event.' })
export class UsageEventInput {
  @Field({ description: 'The meter (Query.meters lists them).' })
  meter!: string;

  @Field(() => SafeInt, { description: 'Units used, a whole number above 0.' })
  quantity!: number;

  @Field({
    description: `Your unique key for this event (a UUID), at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters: sent again within 24 hours, the first result is returned and nothing is charged twice; sent with a different event, CONFLICT.`,
  })
  idempotencyKey!: string;

  @Field(() => DateTime, { nullable: true, description: `When the usage happened: at most 5 minutes ahead and ${MAX_AGE_DAYS} days back; now when left out.` })
  occurredAt?: Date | null;

  @Field(() => JSONObject, { nullable: true, description: `Your data about the event: at most ${MAX_METADATA_KEYS} keys and ${MAX_METADATA_BYTES / 1024} KiB.` })
  metadata?: Record<string, unknown> | null;
}

@InputType({ description: "One usage event, recorded in the secret key's environment." })
export class RecordUsageInput extends UsageEventInput {
  @Field(() => ID, { nullable: true, description: "The key's environment, if you want it checked: any other is FORBIDDEN (a SANDBOX key never charges LIVE)." })
  environmentId?: string | null;
}

@InputType({ description: "Usage events recorded together in the secret key's environment: all new events or none." })
export class RecordUsageBatchInput {
  @Field(() => [UsageEventInput], { description: `1 to ${MAX_BATCH_EVENTS} events.` })
  events!: UsageEventInput[];

  @Field(() => ID, { nullable: true, description: "The key's environment, if you want it checked: any other is FORBIDDEN." })
  environmentId?: string | null;
}
