// What every organizations resolver receives with each request: the caller, the services and fresh DataLoaders.
import type { DataSource } from 'typeorm';
import type { BaseRequestContext, ClaimIssuer, Principal, Queryable } from '@orgapi/shared';
import { environmentLoaders } from './environments/environment.loader';
import { membershipLoaders } from './memberships/membership.loader';
import { MembershipService } from './memberships/membership.service';
import { organizationLoaders } from './organizations/organization.loader';
import { OrganizationService } from './organizations/organization.service';
import { projectLoaders } from './projects/project.loader';
import { ProjectService } from './projects/project.service';

/** One request's DataLoaders; the memberships ones see what the caller (`viewerId`) may see. */
function createLoaders(db: Queryable, viewerId: string | null) {
  return { ...organizationLoaders(db), ...membershipLoaders(db, viewerId), ...projectLoaders(db), ...environmentLoaders(db) };
}

export interface OrganizationsContext extends BaseRequestContext {
  organizations: OrganizationService;
  memberships: MembershipService;
  projects: ProjectService;
  /** Signs the caller's permissions per entity, for the subgraphs that extend organizations' entities (access.ts). */
  claims: ClaimIssuer;
  loaders: ReturnType<typeof createLoaders>;
}

/** What each request adds to the caller: services shared by all requests, DataLoaders made anew so caching never outlives it. */
export function organizationsContext(db: DataSource, claims: ClaimIssuer): (principal: Principal | null) => Omit<OrganizationsContext, keyof BaseRequestContext> {
  const services = { organizations: new OrganizationService(db), memberships: new MembershipService(db), projects: new ProjectService(db), claims };
  return (principal) => ({ ...services, loaders: createLoaders(db, principal?.userId ?? null) });
}
