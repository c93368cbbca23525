// A revoked credential is refused by every service on the very next request, though each caches identity's answers:
// identity's triggers notify at commit, every service listens (shared/src/revocation-listener.ts), and a cached answer
// is trusted only after a round trip on the listening connection. No polling here: the first request after the
// revocation must be refused.
import { Client } from 'pg';
import {
  asRouter,
  createOrganization,
  createToken,
  expectError,
  expectOk,
  logOut,
  revokeToken,
  signUp,
  startGraph,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
beforeAll(async () => {
  // A long cache: without the listener, every refusal below would come a minute late.
  graph = await startGraph({ env: { CREDENTIAL_CACHE_SECONDS: '60' } });
});
afterAll(() => graph?.stop());

const SUBGRAPHS = ['identity', 'organizations', 'billing'] as const;

/** Asks each subgraph straight, as a router would, and the gateway, something only a signed-in caller gets. */
async function everyService(token: string, organizationId: string) {
  const bearer = { authorization: `Bearer ${token}` };
  const direct = await Promise.all(
    SUBGRAPHS.map((name) => asRouter(graph, graph.subgraphs[name].url).send('{ __typename }', {}, bearer).then((response) => ({ name, response }))),
  );
  const gateway = await graph.request<{ organization: { id: string; creditBalance: { available: number } } }>(
    'query($id: ID!) { organization(id: $id) { id creditBalance { available } } }',
    { id: organizationId },
    token,
  );
  return { direct, gateway };
}

async function expectAccepted(token: string, organizationId: string) {
  const { direct, gateway } = await everyService(token, organizationId);
  for (const { response } of direct) expect(response.errors).toBeUndefined();
  expect(expectOk(gateway).organization.id).toBe(organizationId);
}

async function expectRefusedAtOnce(token: string, organizationId: string) {
  const { direct, gateway } = await everyService(token, organizationId);
  for (const { name, response } of direct) {
    expect({ name, code: response.errors?.[0]?.extensions?.code }).toEqual({ name, code: 'UNAUTHENTICATED' });
  }
  expect(gateway.status).toBe(401);
  expectError(gateway, 'UNAUTHENTICATED');
}

describe('a revoked credential, refused by every service on the next request', () => {
  let owner: SignedInUser;
  let organizationId: string;
  beforeAll(async () => {
    owner = await signUp(graph, 'Rita Revoker');
    organizationId = (await createOrganization(graph, owner)).id;
  });

  it('a session that logs out', async () => {
    const session = await signUp(graph, 'Leo Leaving');
    const org = await createOrganization(graph, session);
    await expectAccepted(session.token, org.id); // every service now has it cached
    expectOk(await logOut(graph, session));
    await expectRefusedAtOnce(session.token, org.id);
  });

  it('a personal access token revoked', async () => {
    const { secret, id } = await createToken(graph, owner);
    await expectAccepted(secret, organizationId);
    expectOk(await revokeToken(graph, owner, id));
    await expectRefusedAtOnce(secret, organizationId);
  });

  it('a session revoked straight in the database, by an operator', async () => {
    const session = await signUp(graph, 'Opal Operator');
    const org = await createOrganization(graph, session);
    await expectAccepted(session.token, org.id);
    await graph.subgraphs.identity.db.query(`UPDATE sessions SET revoked_at = now(), revoked_reason = 'revoked' WHERE user_id = $1`, [session.id]);
    await expectRefusedAtOnce(session.token, org.id);
  });

  it('while other credentials keep working, from the cache', async () => {
    const keeper = await signUp(graph, 'Kim Keeper');
    const org = await createOrganization(graph, keeper);
    const leaver = await signUp(graph, 'Lou Leaver');
    await expectAccepted(keeper.token, org.id);
    expectOk(await logOut(graph, leaver));
    await expectAccepted(keeper.token, org.id);
  });

  it('even after the listening connections were cut: nothing cached is trusted until they are back', async () => {
    const session = await signUp(graph, 'Cid Cut');
    const org = await createOrganization(graph, session);
    await expectAccepted(session.token, org.id);
    const listeners = `FROM pg_stat_activity WHERE application_name = 'revocation-listener' AND datname = current_database()`;
    const admin = new Client({ connectionString: graph.databaseUrl });
    await admin.connect();
    try {
      expect((await admin.query(`SELECT count(*)::int AS count ${listeners}`)).rows[0].count).toBe(4); // identity, organizations, billing, gateway
      await admin.query(`SELECT pg_terminate_backend(pid) ${listeners}`);
    } finally {
      await admin.end();
    }
    // Revoked while nobody listens: the services ask identity afresh rather than trust their caches.
    await graph.subgraphs.identity.db.query(`UPDATE sessions SET revoked_at = now(), revoked_reason = 'revoked' WHERE user_id = $1`, [session.id]);
    await expectRefusedAtOnce(session.token, org.id);
  });
});
