// Starts the organizations service: config → database → schema → server.
import { z } from 'zod';
import { port, runService, startSubgraph, subgraphEnv, type RunningSubgraph, type SubgraphDefinition } from '@orgapi/shared';
import { entities } from './entities';
import { createLoaders } from './loaders';
import { migrations } from './migrations';
import { OrganizationService } from './organizations/organization.service';
import { ProjectService } from './projects/project.service';
import { buildOrganizationsSchema } from './schema';

export const organizationsEnv = z.object({ ...subgraphEnv, PORT: port(4002) });
export type OrganizationsConfig = z.infer<typeof organizationsEnv>;

export const organizationsSubgraph = {
  name: 'organizations',
  database: { schema: 'organizations', entities, migrations },
  buildSchema: buildOrganizationsSchema,
  async setup(db) {
    const organizations = new OrganizationService(db);
    const projects = new ProjectService(db);
    return { perRequest: (principal) => ({ organizations, projects, loaders: createLoaders(db, principal?.userId ?? null) }) };
  },
} satisfies SubgraphDefinition<OrganizationsConfig, object>;

export function startOrganizations(config: OrganizationsConfig): Promise<RunningSubgraph> {
  return startSubgraph(organizationsSubgraph, config);
}

if (require.main === module) runService('organizations', organizationsEnv, startOrganizations);
export * from './demo';
