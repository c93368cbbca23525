// Starts the organizations service: config → database → schema → server.
import { z } from 'zod';
import { port, runService, startSubgraph, subgraphEnv, subgraphService, type RunningSubgraph, type SubgraphDefinition } from '@orgapi/shared';
import { organizationsContext } from './context';
import { migrations } from './migrations';
import { buildOrganizationsSchema } from './schema';

// This service's entry in the one list of services: its name (also its PostgreSQL schema) and default port.
const service = subgraphService('organizations');

export const organizationsEnv = z.object({ ...subgraphEnv, PORT: port(service.port) });
export type OrganizationsConfig = z.infer<typeof organizationsEnv>;

export const organizationsSubgraph = {
  name: service.name,
  // Writes are SQL in the services and reads SQL in the loaders, so TypeORM maps no entities here.
  database: { schema: service.name, entities: [], migrations },
  buildSchema: buildOrganizationsSchema,
  async setup(db) {
    return { perRequest: organizationsContext(db) };
  },
} satisfies SubgraphDefinition<OrganizationsConfig, object>;

export function startOrganizations(config: OrganizationsConfig): Promise<RunningSubgraph> {
  return startSubgraph(organizationsSubgraph, config);
}

if (require.main === module) runService(service.name, organizationsEnv, startOrganizations);
export * from './demo';
