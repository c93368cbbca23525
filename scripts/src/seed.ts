// Seeds the demo data: each subgraph writes only its own schema, linked by the IDs passed between them.
import { openDatabase, type DatabaseOptions } from '@orgapi/shared';
import { DEMO_PASSWORD, DEMO_PEOPLE, identitySubgraph, seedDemoUsers } from '@orgapi/identity';
import { organizationsSubgraph, seedDemoOrganizations } from '@orgapi/organizations';
import { billingSubgraph, DEMO_METERS, seedDemoCredits, type Meter } from '@orgapi/billing';

export interface DemoCredentials {
  email: string;
  password: string;
  organizationSlugs: string[];
}

/** Seeds through each subgraph's own connection URL (by schema name), so what it creates belongs to that subgraph. */
export async function seedDemo(urls: Record<string, string>, meters: Meter[] = DEMO_METERS): Promise<DemoCredentials> {
  const open = ({ database }: { database: Omit<DatabaseOptions, 'url'> }) => openDatabase({ ...database, url: urls[database.schema], poolSize: 2 });
  const [identityDb, organizationsDb, billingDb] = await Promise.all([open(identitySubgraph), open(organizationsSubgraph), open(billingSubgraph)]);
  try {
    const people = await seedDemoUsers(identityDb);
    const organizations = await seedDemoOrganizations(organizationsDb, people);
    // Through billing's own services, on the price list billing will run with.
    for (const organization of organizations) await seedDemoCredits(billingDb, organization, meters);
    return { email: DEMO_PEOPLE[0].email, password: DEMO_PASSWORD, organizationSlugs: organizations.map((o) => o.slug) };
  } finally {
    await Promise.all([identityDb.destroy(), organizationsDb.destroy(), billingDb.destroy()]);
  }
}
