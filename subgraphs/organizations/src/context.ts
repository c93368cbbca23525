// What every organizations resolver receives with each request.
import type { BaseRequestContext } from '@orgapi/shared';
import type { OrganizationsLoaders } from './loaders';
import type { OrganizationService } from './organizations/organization.service';
import type { ProjectService } from './projects/project.service';

export interface OrganizationsContext extends BaseRequestContext {
  organizations: OrganizationService;
  projects: ProjectService;
  loaders: OrganizationsLoaders;
}
