// recordUsage and recordUsageBatch: thin, the rules are in the metering service.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { forbidden, type ApiKeyCaller } from '@orgapi/shared';
import { requireSecretKey } from '../access';
import type { BillingContext } from '../context';
import type { RecordedUsage } from './metering.service';
import { RecordUsageBatchInput, RecordUsageInput } from './metering.input';
import { RecordUsageBatchPayload, RecordUsagePayload } from './metering.type';

/** The secret key of the environment the caller named, if they named one. */
function keyFor(context: BillingContext, environmentId: string | null | undefined): ApiKeyCaller {
  const key = requireSecretKey(context);
  if (environmentId != null && environmentId !== key.environmentId) {
    throw forbidden(`This secret key records usage for its own ${key.mode} environment (${key.environmentId}) only.`);
  }
  return key;
}

const toPayload = ({ event, replayed }: RecordedUsage): RecordUsagePayload => ({
  replayed,
  event: { ...event, project: { id: event.projectId }, environment: { id: event.environmentId } },
});

@Resolver()
export class MeteringResolver {
  @Mutation(() => RecordUsagePayload, {
    description:
      "Records usage with an environment's secret key. LIVE usage costs credits (INSUFFICIENT_CREDITS when the balance cannot cover it, and nothing is recorded); SANDBOX usage is free.",
  })
  async recordUsage(@Arg('input', () => RecordUsageInput, { description: 'The usage event.' }) input: RecordUsageInput, @Ctx() context: BillingContext): Promise<RecordUsagePayload> {
    const key = keyFor(context, input.environmentId);
    const [result] = await context.metering.record(key, [input], { batch: false });
    return toPayload(result);
  }

  @Mutation(() => RecordUsageBatchPayload, {
    description:
      'Records up to 1,000 usage events at once: all new events or none (errors name events by index). Events whose key was already used are replays, never errors.',
  })
  async recordUsageBatch(@Arg('input', () => RecordUsageBatchInput, { description: 'The usage events, in order.' }) input: RecordUsageBatchInput, @Ctx() context: BillingContext): Promise<RecordUsageBatchPayload> {
    const key = keyFor(context, input.environmentId);
    const results = (await context.metering.record(key, input.events, { batch: true })).map(toPayload);
    const replayed = results.filter((result) => result.replayed).length;
    return { results, replayed, recorded: results.length - replayed };
  }
}
