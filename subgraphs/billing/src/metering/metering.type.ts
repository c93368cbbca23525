// The API types of recorded usage: a usage event, and what recording one or a batch answers.
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTime, JSONObject, ListSize, SafeInt } from '@orgapi/shared';
import { Environment, EnvironmentMode, Project } from '../extended.type';
import { MAX_BATCH_EVENTS } from './usage-event-rules';

@ObjectType({ simpleResolvers: true, description: 'Usage recorded on a meter in one environment.' })
export class UsageEvent {
  @Field(() => ID, { description: 'Opaque ID (`use_…`).' })
  id!: string;

  @Field({ description: 'The meter (Query.meters).' })
  meter!: string;

  @Field(() => SafeInt, { description: 'Units used.' })
  quantity!: number;

  @Field(() => SafeInt, { description: "Credits charged: quantity × the meter's price in LIVE, 0 in SANDBOX." })
  amount!: number;

  @Field(() => EnvironmentMode, { description: 'The mode of the environment it was recorded in.' })
  mode!: EnvironmentMode;

  @Field({ description: 'The key that makes recording it again within 24 hours return this event instead of charging twice.' })
  idempotencyKey!: string;

  @Field(() => DateTime, { description: 'When the usage happened (what reports count it under).' })
  occurredAt!: Date;

  @Field(() => DateTime, { description: 'When it was recorded.' })
  recordedAt!: Date;

  @Field(() => JSONObject, { nullable: true, description: 'What the caller attached to it.' })
  metadata!: Record<string, unknown> | null;

  @Field(() => Project, { description: 'The project it was recorded for.' })
  project!: Project;

  @Field(() => Environment, { description: 'The environment it was recorded in.' })
  environment!: Environment;
}

@ObjectType({ simpleResolvers: true, description: 'What recording one usage event answered.' })
export class RecordUsagePayload {
  @Field(() => UsageEvent, { description: 'The event: the one just recorded, or for a replay the one recorded first with this key.' })
  event!: UsageEvent;

  @Field({ description: 'True when the idempotency key was used in the last 24 hours: nothing was recorded or charged again.' })
  replayed!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'What recording a batch answered, one result per event in input order.' })
export class RecordUsageBatchPayload {
  @Field(() => [RecordUsagePayload], { description: 'One result per event, in the order sent.' })
  @ListSize(MAX_BATCH_EVENTS)
  results!: RecordUsagePayload[];

  @Field(() => Int, { description: 'Events recorded (and charged) by this request.' })
  recorded!: number;

  @Field(() => Int, { description: 'Events whose key had been used: returned as first recorded, not charged again.' })
  replayed!: number;
}
