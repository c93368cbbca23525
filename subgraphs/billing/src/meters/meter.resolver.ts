// The deployment's meters: what recording usage costs, readable by any caller, person or API key.
import { Ctx, Query, Resolver } from 'type-graphql';
import { ListSize, unauthenticated } from '@orgapi/shared';
import type { BillingContext } from '../context';
import { MAX_METERS } from './meters';
import { Meter } from './meter.type';

@Resolver(() => Meter)
export class MeterResolver {
  @Query(() => [Meter], { description: 'The meters usage is recorded on and what each unit costs. Any signed-in caller or API key may read them.' })
  @ListSize(MAX_METERS)
  meters(@Ctx() context: BillingContext): Meter[] {
    if (!context.principal && !context.apiKey) throw unauthenticated();
    return context.meters;
  }
}
