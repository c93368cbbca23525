// With SIGNING_KEY_SECRET set, the signing keys' private parts are encrypted in the database, and nothing is lost.
import { Client } from 'pg';
import { identityEnv, startIdentity } from '@orgapi/identity';
import { postGraphQL, startGraph, type TestGraph } from './harness/graph';
import { signUp, type SignedInUser } from './harness/fixtures';

const SECRET = 'a-secret-of-at-least-32-characters-0123456789';

let graph: TestGraph;
let user: SignedInUser;
beforeAll(async () => {
  graph = await startGraph();
  user = await signUp(graph);
});
afterAll(() => graph?.stop());

const replicaEnv = (secret?: string) => ({
  DATABASE_URL: graph.serviceUrls.identity,
  ROUTER_SECRET: graph.routerSecret,
  HOST: '127.0.0.1',
  PORT: '0',
  DATABASE_POOL_SIZE: '2',
  ...(secret ? { SIGNING_KEY_SECRET: secret } : {}),
});

async function storedPrivateKeys(): Promise<Record<string, unknown>[]> {
  const admin = new Client({ connectionString: graph.databaseUrl });
  await admin.connect();
  try {
    return (await admin.query('SELECT private_jwk FROM identity.signing_keys')).rows.map((row) => row.private_jwk);
  } finally {
    await admin.end();
  }
}

describe('once SIGNING_KEY_SECRET is set', () => {
  let replica: Awaited<ReturnType<typeof startIdentity>>;
  beforeAll(async () => {
    expect((await storedPrivateKeys())[0]).toHaveProperty('d');
    replica = await startIdentity(identityEnv.parse(replicaEnv(SECRET)));
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
    const headers = { 'x-router-secret': graph.routerSecret };
    const viewer = await postGraphQL(replica.url, { query: '{ viewer { id } }' }, { ...headers, authorization: `Bearer ${user.token}` });
    expect(viewer.data).toEqual({ viewer: { id: user.id } });
    const logIn = await postGraphQL<{ logIn: { accessToken: string } }>(
      replica.url,
      { query: 'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }', variables: { input: { email: user.email, password: 'correct horse battery' } } },
      headers,
    );
    expect(logIn.data?.logIn.accessToken).toMatch(/^ey/);
  });

  it('refuses to start without the secret, or with another one, saying why', async () => {
    await expect(startIdentity(identityEnv.parse(replicaEnv()))).rejects.toThrow(/set SIGNING_KEY_SECRET/);
    await expect(startIdentity(identityEnv.parse(replicaEnv(`${SECRET}-but-not-the-same`)))).rejects.toThrow(/not the secret they were stored with/);
  });

  it('refuses a secret too short to be one, and takes a blank one as unset', () => {
    expect(() => identityEnv.parse(replicaEnv('short'))).toThrow(/at least 32 characters/);
    expect(identityEnv.parse({ ...replicaEnv(), SIGNING_KEY_SECRET: '' }).SIGNING_KEY_SECRET).toBeUndefined();
  });
});
