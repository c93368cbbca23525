// Credit usage over a period and per UTC day, as the API shows it.
import { Field, ObjectType } from 'type-graphql';
import { DateScalar, ListSize, SafeInt } from '@orgapi/shared';
import { MAX_PERIOD_DAYS } from './usage-period';

@ObjectType({ simpleResolvers: true, description: 'Credits used on one day (UTC).' })
export class CreditUsageDay {
  @Field(() => DateScalar, { description: 'The day, in UTC.' })
  date!: string;

  @Field(() => SafeInt, { description: 'Credits used that day.' })
  amount!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Credits used over a period.' })
export class CreditUsage {
  @Field(() => SafeInt, { description: 'Credits used in the period.' })
  total!: number;

  @Field(() => [CreditUsageDay], { description: 'Credits used on each day of the period (UTC), days without usage included as 0.' })
  // Priced as the longest period: the size depends on `from` and `to`, which no list-size directive can express.
  @ListSize(MAX_PERIOD_DAYS)
  byDay!: CreditUsageDay[];
}
