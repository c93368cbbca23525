// The Meter API type.
import { Field, ObjectType } from 'type-graphql';
import { SafeInt } from '@orgapi/shared';

@ObjectType({ simpleResolvers: true, description: 'A meter usage is recorded on, with its price: the deployment configures them (METERS).' })
export class Meter {
  @Field({ description: 'Its name, as recordUsage names it: `requests`.' })
  name!: string;

  @Field({ description: 'What it counts.' })
  description!: string;

  @Field(() => SafeInt, { description: 'Credits one unit costs in LIVE environments (SANDBOX usage is free).' })
  creditsPerUnit!: number;
}
