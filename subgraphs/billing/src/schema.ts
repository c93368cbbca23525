// Builds the billing subgraph's federated schema.
import { buildFederatedSchema, type FederatedSchema } from '@orgapi/shared';
import { CreditBalanceResolver } from './credits/credit.resolver';
import { Environment, Organization, Project } from './extended.type';
import { EnvironmentUsageResolver, OrganizationUsageResolver, ProjectUsageResolver } from './usage/usage.resolver';

// Representations carry the fields billing @requires; the claim among them is checked where it grants access (access.ts).
const asRepresentation = <T>(reference: T): T => reference;

export function buildBillingSchema(): Promise<FederatedSchema> {
  return buildFederatedSchema({
    resolvers: [CreditBalanceResolver, OrganizationUsageResolver, ProjectUsageResolver, EnvironmentUsageResolver],
    // Billing has no root fields of its own: the extended entities are reachable only through the gateway.
    orphanedTypes: [Organization, Project, Environment],
    references: { Organization: asRepresentation, Project: asRepresentation, Environment: asRepresentation },
  });
}
