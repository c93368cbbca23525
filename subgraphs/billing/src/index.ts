// Starts the billing service: config → database → schema → server.
import { z } from 'zod';
import { port, runService, startSubgraph, subgraphEnv, type RunningSubgraph, type SubgraphDefinition } from '@orgapi/shared';
import { creditLoaders } from './credits/credit.loader';
import { migrations } from './migrations';
import { buildBillingSchema } from './schema';
import { usageLoaders } from './usage/usage.loader';

export const billingEnv = z.object({ ...subgraphEnv, PORT: port(4003) });
export type BillingConfig = z.infer<typeof billingEnv>;

export const billingSubgraph = {
  name: 'billing',
  // No TypeORM entities: billing writes and reads with SQL; TypeORM runs the migrations.
  database: { schema: 'billing', entities: [], migrations },
  buildSchema: buildBillingSchema,
  async setup(db) {
    return { perRequest: () => ({ loaders: { ...creditLoaders(db), ...usageLoaders(db) } }) };
  },
} satisfies SubgraphDefinition<BillingConfig, object>;

export function startBilling(config: BillingConfig): Promise<RunningSubgraph> {
  return startSubgraph(billingSubgraph, config);
}

if (require.main === module) runService('billing', billingEnv, startBilling);
export * from './demo';
