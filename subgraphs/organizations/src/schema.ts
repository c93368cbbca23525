// Builds the organizations subgraph's federated schema: its resolvers and the reference resolvers of its entities.
import { buildFederatedSchema, type FederatedSchema } from '@orgapi/shared';
import { EnvironmentApiKeysResolver } from './api-keys/api-key.resolver';
import { OrganizationAuditResolver } from './audit/audit.resolver';
import { EnvironmentConfigurationResolver, ProjectConfigurationResolver } from './configuration/configuration.resolver';
import { EnvironmentResolver, resolveEnvironmentReference } from './environments/environment.resolver';
import { InvitationResolver, OrganizationInvitationsResolver, UserInvitationsResolver } from './invitations/invitation.resolver';
import { DomainResolver, OrganizationDomainsResolver } from './domains/domain.resolver';
import { JoinRequestResolver, OrganizationJoinRequestsResolver, SuggestedOrganizationResolver, UserSuggestionsResolver } from './join-requests/join-request.resolver';
import { MembershipChangesResolver, MembershipResolver, OwnershipResolver, resolveUserReference, UserMembershipsResolver } from './memberships/membership.resolver';
import { OrganizationResolver, resolveOrganizationReference } from './organizations/organization.resolver';
import { ProjectResolver, resolveProjectReference } from './projects/project.resolver';
import { OrganizationRolesResolver, RoleResolver } from './roles/role.resolver';

export function buildOrganizationsSchema(): Promise<FederatedSchema> {
  return buildFederatedSchema({
    resolvers: [
      OrganizationResolver,
      ProjectResolver,
      EnvironmentResolver,
      MembershipResolver,
      MembershipChangesResolver,
      OwnershipResolver,
      UserMembershipsResolver,
      OrganizationAuditResolver,
      RoleResolver,
      OrganizationRolesResolver,
      EnvironmentConfigurationResolver,
      ProjectConfigurationResolver,
      EnvironmentApiKeysResolver,
      InvitationResolver,
      OrganizationInvitationsResolver,
      UserInvitationsResolver,
      DomainResolver,
      OrganizationDomainsResolver,
      JoinRequestResolver,
      SuggestedOrganizationResolver,
      UserSuggestionsResolver,
      OrganizationJoinRequestsResolver,
    ],
    references: {
      Organization: resolveOrganizationReference,
      Project: resolveProjectReference,
      Environment: resolveEnvironmentReference,
      User: resolveUserReference,
    },
  });
}
