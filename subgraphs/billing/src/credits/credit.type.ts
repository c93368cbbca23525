// An organization's credit balance, as the API shows it.
import { Field, ObjectType } from 'type-graphql';
import { SafeInt } from '@orgapi/shared';

@ObjectType({ simpleResolvers: true, description: "An organization's credits: what was granted, what was used, what is left." })
export class CreditBalance {
  @Field(() => SafeInt, { description: 'Credits left to spend: granted minus used. Negative when usage ran past the grants.' })
  available!: number;

  @Field(() => SafeInt, { description: 'All credits ever granted.' })
  granted!: number;

  @Field(() => SafeInt, { description: 'All credits ever used.' })
  used!: number;
}
