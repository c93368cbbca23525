// Starts the billing service: config → database → schema → server.
import { z } from 'zod';
import {
  claimVerifierEnv,
  ClaimVerifier,
  EventRelay,
  organizationsEndpoints,
  port,
  runService,
  startSubgraph,
  subgraphEnv,
  subgraphService,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@orgapi/shared';
import { billingContext } from './context';
import { BillingSweep } from './ledger/billing-sweep';
import { LedgerService } from './ledger/ledger.service';
import { remoteMemberPermissions } from './member-permissions';
import { metersEnv } from './meters/meters';
import { migrations } from './migrations';
import { platformOperatorsEnv } from './platform-operators';
import { buildBillingSchema } from './schema';

// This service's entry in the one list of services: its name (also its PostgreSQL schema) and default port.
const service = subgraphService('billing');

export const billingEnv = z.object({
  ...subgraphEnv,
  ...claimVerifierEnv,
  ...metersEnv,
  ...platformOperatorsEnv,
  PORT: port(service.port),
  // Where billing tells organizations of its alerts (audit log, emails), and asks a caller's permissions by organization ID.
  BILLING_EVENTS_URL: z.url('BILLING_EVENTS_URL must be the URL of the organizations service route for billing events').default(organizationsEndpoints().BILLING_EVENTS_URL),
  MEMBER_PERMISSIONS_URL: z
    .url('MEMBER_PERMISSIONS_URL must be the URL of the organizations service route for member permissions')
    .default(organizationsEndpoints().MEMBER_PERMISSIONS_URL),
  // Grants expire on read as well; the sweep makes their entries and alerts appear without anyone looking. 0 turns it off.
  BILLING_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  EVENT_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(3600).default(30),
});
export type BillingConfig = z.infer<typeof billingEnv>;

export const billingSubgraph = {
  name: service.name,
  // No TypeORM entities: billing writes and reads with SQL (its services and loaders); TypeORM runs the migrations.
  database: { schema: service.name, entities: [], migrations },
  buildSchema: buildBillingSchema,
  async setup(db, config, changes) {
    // Alerts are written with the change that raised them and relayed to organizations at least once.
    const events = new EventRelay(db, config.BILLING_EVENTS_URL, config.ROUTER_SECRET, { maxAttempts: 20, retryBaseSeconds: config.EVENT_RETRY_BASE_SECONDS });
    events.start();
    const sweep = new BillingSweep(db, new LedgerService(db.manager), config.BILLING_SWEEP_SECONDS);
    sweep.start();
    const organizations = remoteMemberPermissions(config.MEMBER_PERMISSIONS_URL, config.ROUTER_SECRET);
    return {
      // The caller's permissions are organizations' to state: billing checks its signature (docs/routers.md, trust model).
      perRequest: billingContext(db, {
        claims: ClaimVerifier.remote(config.CLAIMS_JWKS_URL, 'organizations'),
        meters: config.METERS,
        memberPermissions: organizations.memberPermissions,
        organizationExists: organizations.organizationExists,
        platformOperators: config.PLATFORM_OPERATORS,
      }, changes),
      async stop() {
        await sweep.stop();
        await events.stop();
      },
    };
  },
} satisfies SubgraphDefinition<BillingConfig, object>;

export function startBilling(config: BillingConfig): Promise<RunningSubgraph> {
  return startSubgraph(billingSubgraph, config);
}

if (require.main === module) runService(service.name, billingEnv, startBilling);
export * from './demo';
export { LedgerService } from './ledger/ledger.service';
export { MeteringService } from './metering/metering.service';
export { BillingSweep } from './ledger/billing-sweep';
export { metersEnv, type Meter } from './meters/meters';
