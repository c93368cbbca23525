// A subgraph owns its tables in the database itself: each connects as a role that can reach only its own schema.
import { dropSchemaOwners, provisionSchemaOwners, SUBGRAPH_NAMES, type SubgraphName } from '@orgapi/shared';
import { startGraph, withConnection, type TestGraph } from './harness';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const asService = <T>(service: SubgraphName, sql: string): Promise<T[]> =>
  withConnection(graph.serviceUrls[service], async (client) => (await client.query(sql)).rows as T[]);

/** A table of each subgraph. */
const TABLE_OF: Record<SubgraphName, string> = { identity: 'identity.users', organizations: 'organizations.memberships', billing: 'billing.usage_events' };

describe.each(SUBGRAPH_NAMES)('the %s subgraph', (service) => {
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

describe('an older database whose tables an administrator created', () => {
  it('hands the schema and its tables, serial sequences included, to the subgraph role', async () => {
    const database = `orgapi_older_${Date.now()}`;
    const olderUrl = new URL(graph.databaseUrl);
    olderUrl.pathname = `/${database}`;
    await withConnection(graph.databaseUrl, (admin) => admin.query(`CREATE DATABASE ${database}`));
    try {
      await withConnection(olderUrl.toString(), async (older) => {
        await older.query('CREATE SCHEMA identity');
        await older.query('CREATE TABLE identity.migrations (id serial PRIMARY KEY, name text)');
        await older.query("INSERT INTO identity.migrations (name) VALUES ('earlier')");

        const urls = await provisionSchemaOwners(olderUrl.toString(), database, ['identity']);
        const role = new URL(urls.identity).username;
        const owners = await older.query(
          `SELECT c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c
            WHERE c.relnamespace = 'identity'::regnamespace AND c.relkind IN ('r', 'S') ORDER BY 1`,
        );
        expect(owners.rows).toEqual([
          { relname: 'migrations', owner: role },
          { relname: 'migrations_id_seq', owner: role },
        ]);

        await withConnection(urls.identity, async (asOwner) => {
          await asOwner.query("INSERT INTO identity.migrations (name) VALUES ('next')");
          expect((await asOwner.query('SELECT name FROM identity.migrations ORDER BY id')).rows).toEqual([{ name: 'earlier' }, { name: 'next' }]);
        });
      });
    } finally {
      await withConnection(graph.databaseUrl, (admin) => admin.query(`DROP DATABASE ${database} WITH (FORCE)`));
      await dropSchemaOwners(graph.databaseUrl, database, ['identity']);
    }
  });
});
