// A subgraph owns its tables in the database itself: each connects as a role that can reach only its own schema.
import { Client } from 'pg';
import { startGraph, type TestGraph } from './harness/graph';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

async function asService<T>(schema: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: graph.serviceUrls[schema] });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const TABLE_OF = { identity: 'identity.users', organizations: 'organizations.memberships', billing: 'billing.usage_events' } as const;

describe.each(Object.keys(TABLE_OF) as (keyof typeof TABLE_OF)[])('the %s subgraph', (service) => {
  it('reads its own tables', async () => {
    await expect(asService(service, `SELECT count(*) FROM ${TABLE_OF[service]}`)).resolves.toHaveLength(1);
  });

  it.each(Object.entries(TABLE_OF).filter(([other]) => other !== service))('cannot read or write the %s tables', async (_other, table) => {
    await expect(asService(service, `SELECT * FROM ${table} LIMIT 1`)).rejects.toThrow(/permission denied/);
    await expect(asService(service, `DELETE FROM ${table}`)).rejects.toThrow(/permission denied/);
  });

  it('owns every table in its schema, so its migrations can change them', async () => {
    const owners = await asService<{ owner: string }>(service, `SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = '${service}'`);
    expect(owners.map((o) => o.owner)).toEqual([new URL(graph.serviceUrls[service]).username]);
  });
});
