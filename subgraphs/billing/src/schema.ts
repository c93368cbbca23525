// Builds the billing subgraph's federated schema.
import { buildFederatedSchema, type FederatedSchema } from '@orgapi/shared';
import { Environment, Organization, Project } from './extended.type';
import { ledgerResolvers } from './ledger/ledger.resolver';
import { MeteringResolver } from './metering/metering.resolver';
import { MeterResolver } from './meters/meter.resolver';
import { CreditUsageResolver, EnvironmentUsageResolver, OrganizationUsageResolver, ProjectUsageResolver } from './usage/usage.resolver';

// Representations carry the fields billing @requires; the claim among them is checked where it grants access (access.ts).
const asRepresentation = <T>(reference: T): T => reference;

export function buildBillingSchema(): Promise<FederatedSchema> {
  return buildFederatedSchema({
    // Root fields: the price list, the billing mutations and usage recording; the rest hangs off the entities it extends.
    resolvers: [...ledgerResolvers, MeteringResolver, OrganizationUsageResolver, ProjectUsageResolver, EnvironmentUsageResolver, CreditUsageResolver, MeterResolver],
    orphanedTypes: [Organization, Project, Environment],
    references: { Organization: asRepresentation, Project: asRepresentation, Environment: asRepresentation },
  });
}
