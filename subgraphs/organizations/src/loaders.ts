// The DataLoaders of one organizations request.
import type { Queryable } from '@orgapi/shared';
import { environmentLoaders } from './environments/environment.loader';
import { membershipLoaders } from './memberships/membership.loader';
import { organizationLoaders } from './organizations/organization.loader';
import { projectLoaders } from './projects/project.loader';

export function createLoaders(db: Queryable, viewerId: string | null) {
  return { ...organizationLoaders(db), ...membershipLoaders(db, viewerId), ...projectLoaders(db), ...environmentLoaders(db) };
}

export type OrganizationsLoaders = ReturnType<typeof createLoaders>;
