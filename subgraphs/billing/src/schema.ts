// Builds the billing subgraph's federated schema.
import { buildFederatedSchema, type FederatedSchema } from '@orgapi/shared';
import { CreditBalanceResolver } from './credits/credit.resolver';
import { Environment, Organization, Project } from './extended.type';
import { MeterResolver } from './meters/meter.resolver';
import { EnvironmentUsageResolver, OrganizationUsageResolver, ProjectUsageResolver } from './usage/usage.resolver';

// Representations carry the fields billing @requires; the claim among them is checked where it grants access (access.ts).
const asRepresentation = <T>(reference: T): T => reference;

export function buildBillingSchema(): Promise<FederatedSchema> {
  return buildFederatedSchema({
    // Its one root field is the deployment's price list; everything else hangs off the entities it extends.
    resolvers: [CreditBalanceResolver, OrganizationUsageResolver, ProjectUsageResolver, EnvironmentUsageResolver, MeterResolver],
    orphanedTypes: [Organization, Project, Environment],
    references: { Organization: asRepresentation, Project: asRepresentation, Environment: asRepresentation },
  });
}
