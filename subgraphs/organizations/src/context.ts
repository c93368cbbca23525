// What every organizations resolver receives with each request: the caller, the services and fresh DataLoaders.
import type { DataSource } from 'typeorm';
import type { IncomingMessage } from 'node:http';
import { clientOf, lazyLoaders, preparedReads, type BaseRequestContext, type ClaimIssuer, type Principal, type RequestReads, type RevocationListener } from '@orgapi/shared';
import { apiKeyLoaders } from './api-keys/api-key.loader';
import { ApiKeyService } from './api-keys/api-key.service';
import { auditLoaders } from './audit/audit.loader';
import { configurationLoaders } from './configuration/configuration.loader';
import { ConfigurationService } from './configuration/configuration.service';
import type { DomainResolver } from './domains/dns';
import { domainLoaders } from './domains/domain.loader';
import { DomainService } from './domains/domain.service';
import { environmentLoaders } from './environments/environment.loader';
import { invitationLoaders } from './invitations/invitation.loader';
import { InvitationService } from './invitations/invitation.service';
import type { UserLookup } from './invitations/user-lookup';
import { joinRequestLoaders } from './join-requests/join-request.loader';
import { JoinRequestService } from './join-requests/join-request.service';
import { membershipLoaders } from './memberships/membership.loader';
import type { MemberSearch } from './memberships/member-search';
import { MembershipService } from './memberships/membership.service';
import { organizationLoaders } from './organizations/organization.loader';
import { OrganizationService } from './organizations/organization.service';
import { projectLoaders } from './projects/project.loader';
import { ProjectService } from './projects/project.service';
import { roleLoaders } from './roles/role.loader';
import { RoleService } from './roles/role.service';
import type { Quotas } from './quotas';

/**
 * One request's DataLoaders, each family made when the request first reads one of its loaders (lazy-loaders.ts); the
 * memberships ones see what the caller (`viewerId`) may see.
 */
const createLoaders = lazyLoaders([
  organizationLoaders,
  membershipLoaders,
  projectLoaders,
  environmentLoaders,
  auditLoaders,
  roleLoaders,
  invitationLoaders,
  configurationLoaders,
  apiKeyLoaders,
  domainLoaders,
  joinRequestLoaders,
]);

export interface OrganizationsContext extends BaseRequestContext {
  organizations: OrganizationService;
  memberships: MembershipService;
  projects: ProjectService;
  roles: RoleService;
  configuration: ConfigurationService;
  apiKeys: ApiKeyService;
  invitations: InvitationService;
  domains: DomainService;
  joinRequests: JoinRequestService;
  /** Which members match a search by name or email, asked of identity (which holds users). */
  memberSearch: MemberSearch;
  /** Signs the caller's permissions per entity, for the subgraphs that extend organizations' entities (access.ts). */
  claims: ClaimIssuer;
  loaders: ReturnType<typeof createLoaders>;
  /** The address the request came from, as the gateway saw it: the audit log records it. */
  ipAddress: string | null;
}

/** What each request adds to the caller: services shared by all requests, DataLoaders made anew so caching never outlives it. */
export function organizationsContext(
  db: DataSource,
  quotas: Quotas,
  claims: ClaimIssuer,
  memberSearch: MemberSearch,
  invitations: { userLookup: UserLookup; appUrl: string },
  dns: DomainResolver,
  changes: RevocationListener | undefined,
): (principal: Principal | null, req: IncomingMessage, reads: RequestReads) => Omit<OrganizationsContext, keyof BaseRequestContext> {
  const memberships = new MembershipService(db, quotas);
  const services = {
    organizations: new OrganizationService(db, memberships),
    memberships,
    projects: new ProjectService(db, quotas.projectsPerOrganization),
    roles: new RoleService(db, quotas.customRolesPerOrganization),
    configuration: new ConfigurationService(db),
    apiKeys: new ApiKeyService(db),
    invitations: new InvitationService(db, memberships, invitations.userLookup, { appUrl: invitations.appUrl, quotas }),
    domains: new DomainService(db, dns, quotas.domainsPerOrganization),
    joinRequests: new JoinRequestService(db, memberships),
    memberSearch,
    claims,
  };
  // Loaders read through prepared statements, their results kept between requests while organizations' tables have
  // not changed (shared/src/prepared-reads.ts).
  const prepared = preparedReads(db, changes);
  return (principal, req, reads) => ({
    ...services,
    loaders: createLoaders(prepared.forRequest(reads.arrivedAt, reads.readCache), principal?.userId ?? null),
    ipAddress: clientOf(req).ipAddress,
  });
}
