// With SIGNING_KEY_SECRET set, the signing keys' private parts are encrypted in the database, and nothing is lost.
import type { RunningSubgraph } from '@orgapi/shared';
import { identityEnv } from '@orgapi/identity';
import {
  asRouter,
  attemptLogIn,
  identityReplicaEnv,
  signUp,
  startGraph,
  startIdentityReplica,
  viewer,
  withConnection,
  type SignedInUser,
  type TestGraph,
} from './harness';

const SECRET = 'a-secret-of-at-least-32-characters-0123456789';

let graph: TestGraph;
let user: SignedInUser;
beforeAll(async () => {
  graph = await startGraph();
  user = await signUp(graph);
});
afterAll(() => graph?.stop());

/** The signing keys' private parts as stored, read as the database's administrator. */
const storedPrivateKeys = (): Promise<Record<string, unknown>[]> =>
  withConnection(graph.databaseUrl, async (admin) => (await admin.query('SELECT private_jwk FROM identity.signing_keys')).rows.map((row) => row.private_jwk));

describe('once SIGNING_KEY_SECRET is set', () => {
  let replica: RunningSubgraph;
  beforeAll(async () => {
    expect((await storedPrivateKeys())[0]).toHaveProperty('d');
    replica = await startIdentityReplica(graph, { SIGNING_KEY_SECRET: SECRET });
  });
  afterAll(() => replica?.stop());

  it('stores no private key in the clear, the ones made before included', async () => {
    const stored = await storedPrivateKeys();
    expect(stored.length).toBeGreaterThan(0);
    for (const key of stored) {
      expect(Object.keys(key)).toEqual(['jwe']);
      expect(JSON.stringify(key)).not.toMatch(/"d"/);
    }
  });

  it('still accepts tokens signed before, and signs new ones', async () => {
    const direct = asRouter(graph, replica.url);
    expect((await viewer(direct, user.token)).data).toEqual({ viewer: { id: user.id } });
    expect((await attemptLogIn(direct, user.email, user.password)).data?.logIn.accessToken).toMatch(/^ey/);
  });

  it('refuses to start without the secret, or with another one, saying why', async () => {
    await expect(startIdentityReplica(graph)).rejects.toThrow(/set SIGNING_KEY_SECRET/);
    await expect(startIdentityReplica(graph, { SIGNING_KEY_SECRET: `${SECRET}-but-not-the-same` })).rejects.toThrow(/not the secret they were stored with/);
  });

  it('refuses a secret too short to be one, and takes a blank one as unset', () => {
    expect(() => identityEnv.parse(identityReplicaEnv(graph, { SIGNING_KEY_SECRET: 'short' }))).toThrow(/at least 32 characters/);
    expect(identityEnv.parse(identityReplicaEnv(graph, { SIGNING_KEY_SECRET: '' })).SIGNING_KEY_SECRET).toBeUndefined();
  });
});
