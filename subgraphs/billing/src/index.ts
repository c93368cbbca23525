// Starts the billing service: config → database → schema → server.
import { z } from 'zod';
import {
  claimVerifierEnv,
  ClaimVerifier,
  port,
  runService,
  startSubgraph,
  subgraphEnv,
  subgraphService,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@orgapi/shared';
import { billingContext } from './context';
import { metersEnv } from './meters/meters';
import { migrations } from './migrations';
import { buildBillingSchema } from './schema';

// This service's entry in the one list of services: its name (also its PostgreSQL schema) and default port.
const service = subgraphService('billing');

export const billingEnv = z.object({ ...subgraphEnv, ...claimVerifierEnv, ...metersEnv, PORT: port(service.port) });
export type BillingConfig = z.infer<typeof billingEnv>;

export const billingSubgraph = {
  name: service.name,
  // No TypeORM entities: billing writes and reads with SQL (its services and loaders); TypeORM runs the migrations.
  database: { schema: service.name, entities: [], migrations },
  buildSchema: buildBillingSchema,
  async setup(db, config) {
    // The caller's permissions are organizations' to state: billing checks its signature (docs/routers.md, trust model).
    return { perRequest: billingContext(db, ClaimVerifier.remote(config.CLAIMS_JWKS_URL, 'organizations'), config.METERS) };
  },
} satisfies SubgraphDefinition<BillingConfig, object>;

export function startBilling(config: BillingConfig): Promise<RunningSubgraph> {
  return startSubgraph(billingSubgraph, config);
}

if (require.main === module) runService(service.name, billingEnv, startBilling);
export * from './demo';
