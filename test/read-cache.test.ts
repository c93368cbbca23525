// Reads kept between requests: a repeated query costs PostgreSQL almost nothing, yet no answer is older than what
// was committed when the request arrived, whoever committed it, and a mutation always reads what it just wrote.
import { UNWATCHED_TABLES, dataChangeTrigger } from '@orgapi/shared';
import {
  asRouter,
  countStatements,
  createOrganization,
  createProject,
  expectOk,
  grantCredits,
  OVERVIEW,
  signUp,
  startGraph,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
let owner: SignedInUser;
beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph, 'Cache Owner');
});
afterAll(() => graph?.stop());

const period = () => ({ from: new Date(Date.now() - 7 * 86_400_000).toISOString(), to: new Date().toISOString() });

describe('kept reads', () => {
  it('answer a repeated overview from memory, the credential check included: no statement reaches PostgreSQL', async () => {
    const org = await createOrganization(graph, owner, 'Kept');
    await createProject(graph, owner, org.id);
    await grantCredits(graph, org.id, 100);
    const variables = { slug: org.slug, ...period() };
    const cold = await countStatements(graph, OVERVIEW, variables, owner.token);
    const warm = await countStatements(graph, OVERVIEW, variables, owner.token, { warm: true });
    expect(expectOk(warm.result)).toEqual(expectOk(cold.result));
    // Identity's check that the session is live and its read of the members' accounts are kept like the rest.
    expect(warm.statements).toBe(0);
    expect(cold.statements).toBeGreaterThan(warm.statements);
  });

  it('show a change committed by any path on the very next request, an operator\'s SQL included', async () => {
    const org = await createOrganization(graph, owner, 'Changing');
    const project = await createProject(graph, owner, org.id, 'Before');
    const NAME = 'query($id: ID!) { project(id: $id) { name } }';
    expect(expectOk(await graph.request<{ project: { name: string } }>(NAME, { id: project.id }, owner.token)).project.name).toBe('Before');
    await graph.subgraphs.organizations.db.query('UPDATE projects SET name = $2 WHERE id = $1', [project.id, 'After']);
    expect(expectOk(await graph.request<{ project: { name: string } }>(NAME, { id: project.id }, owner.token)).project.name).toBe('After');

    // Identity's: a user renamed, and an address verified, by SQL.
    const ME = '{ viewer { name emailVerified } }';
    const me = async () => expectOk(await graph.request<{ viewer: { name: string; emailVerified: boolean } }>(ME, {}, owner.token)).viewer;
    const { name } = await me();
    await graph.subgraphs.identity.db.query('UPDATE users SET name = $2, email_verified_at = now() WHERE id = $1', [owner.id, 'Renamed Owner']);
    expect(await me()).toEqual({ name: 'Renamed Owner', emailVerified: true });
    await graph.subgraphs.identity.db.query('UPDATE users SET name = $2, email_verified_at = NULL WHERE id = $1', [owner.id, name]);
    expect(await me()).toEqual({ name, emailVerified: false });

    const BALANCE = 'query($id: ID!) { organization(id: $id) { creditBalance { available } } }';
    const balance = async () => expectOk(await graph.request<{ organization: { creditBalance: { available: number } } }>(BALANCE, { id: org.id }, owner.token)).organization.creditBalance.available;
    expect(await balance()).toBe(0);
    await grantCredits(graph, org.id, 70);
    expect(await balance()).toBe(70);
  });

  it("keep identity's check that a session is live only until the session changes, however it changes", async () => {
    const user = await signUp(graph, 'Short Session');
    const viewer = () => asRouter(graph, graph.subgraphs.identity.url).send<{ viewer: { id: string } }>('{ viewer { id } }', {}, { authorization: `Bearer ${user.token}` });
    expect(expectOk(await viewer()).viewer.id).toBe(user.id);
    // Answered from the kept read: no statement for the session.
    const warm = await countStatements(graph, '{ viewer { id } }', {}, user.token, { warm: true });
    expect(expectOk(warm.result)).toEqual({ viewer: { id: user.id } });
    expect(warm.statements).toBe(0);
    await graph.subgraphs.identity.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    expect((await viewer()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('are never used by a mutation, which reads what it just wrote', async () => {
    const org = await createOrganization(graph, owner, 'Renamed');
    const project = await createProject(graph, owner, org.id, 'First');
    const RENAME = 'mutation($input: UpdateProjectInput!) { updateProject(input: $input) { name } }';
    for (const name of ['Second', 'Third', 'Fourth']) {
      // Read it first, so that a kept result exists for the mutation's own read to wrongly reuse.
      expectOk(await graph.request('query($id: ID!) { project(id: $id) { name } }', { id: project.id }, owner.token));
      const renamed = expectOk(await graph.request<{ updateProject: { name: string } }>(RENAME, { input: { projectId: project.id, name } }, owner.token));
      expect(renamed.updateProject.name).toBe(name);
    }
  });
});

describe('the tables that notify their changes', () => {
  it.each(['identity', 'organizations', 'billing'] as const)('are every table of %s but the migration history, the outboxes and the rate limits', async (schema) => {
    const db = graph.subgraphs[schema].db;
    const tables: { tablename: string }[] = await db.query('SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY 1', [schema]);
    const triggers: { tgname: string }[] = await db.query(
      `SELECT g.tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1`,
      [schema],
    );
    const names = new Set(triggers.map((trigger) => trigger.tgname));
    const silent = tables.map((table) => table.tablename).filter((table) => !names.has(dataChangeTrigger(table)));
    expect(silent.sort()).toEqual([...UNWATCHED_TABLES].filter((table) => tables.some((t) => t.tablename === table)).sort());
  });
});
