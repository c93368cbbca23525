// Starts the billing service: config → database → schema → server.
import { z } from 'zod';
import { port, runService, startSubgraph, subgraphEnv, type RunningSubgraph, type SubgraphDefinition } from '@orgapi/shared';
import { billingContext } from './context';
import { migrations } from './migrations';
import { buildBillingSchema } from './schema';

export const billingEnv = z.object({ ...subgraphEnv, PORT: port(4003) });
export type BillingConfig = z.infer<typeof billingEnv>;

export const billingSubgraph = {
  name: 'billing',
  // No TypeORM entities: billing writes and reads with SQL (its services and loaders); TypeORM runs the migrations.
  database: { schema: 'billing', entities: [], migrations },
  buildSchema: buildBillingSchema,
  async setup(db) {
    return { perRequest: billingContext(db) };
  },
} satisfies SubgraphDefinition<BillingConfig, object>;

export function startBilling(config: BillingConfig): Promise<RunningSubgraph> {
  return startSubgraph(billingSubgraph, config);
}

if (require.main === module) runService('billing', billingEnv, startBilling);
export * from './demo';
