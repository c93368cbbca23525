// Machine clients: `Authorization: Bearer sk_…` acts for one environment and nothing else. A sandbox key never reaches
// live data nor the other way round; a publishable key reads only what is safe in a browser; a revoked, expired or
// rolled key is refused by every service on its next request, each with its own reason.
import {
  asRouter,
  createOrganization,
  createProject,
  expectError,
  expectOk,
  signUp,
  startGraph,
  type CreatedOrganization,
  type CreatedProject,
  type GraphQLResponse,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
let owner: SignedInUser;
let org: CreatedOrganization;
let project: CreatedProject;
let other: CreatedProject;
let keys: { sandboxSecret: string; liveSecret: string; sandboxPublishable: string };

const sandboxOf = (p: CreatedProject) => p.environments.find((environment) => environment.mode === 'SANDBOX')!.id;
const liveOf = (p: CreatedProject) => p.environments.find((environment) => environment.mode === 'LIVE')!.id;

async function createKey(environmentId: string, kind: 'SECRET' | 'PUBLISHABLE', name = 'Server'): Promise<{ id: string; secret: string }> {
  const data = expectOk(
    await graph.request<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
      { input: { environmentId, kind, name } },
      owner.token,
    ),
  );
  return { id: data.createApiKey.apiKey.id, secret: data.createApiKey.secret };
}

async function setConfiguration(environmentId: string, configuration: Record<string, unknown>): Promise<void> {
  expectOk(
    await graph.request(
      'mutation($input: UpdateEnvironmentConfigurationInput!) { updateEnvironmentConfiguration(input: $input) { id } }',
      { input: { environmentId, configuration, expectedVersion: 1 } },
      owner.token,
    ),
  );
}

beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph, 'Mia Machines');
  org = await createOrganization(graph, owner, 'Machines Inc');
  project = await createProject(graph, owner, org.id, 'Payments');
  other = await createProject(graph, owner, org.id, 'Other');
  await setConfiguration(sandboxOf(project), { apiBase: 'https://sandbox.example', signingSecret: 'whsec_sandbox', public: { theme: 'dark' } });
  await setConfiguration(liveOf(project), { apiBase: 'https://live.example', signingSecret: 'whsec_live' });
  keys = {
    sandboxSecret: (await createKey(sandboxOf(project), 'SECRET')).secret,
    liveSecret: (await createKey(liveOf(project), 'SECRET')).secret,
    sandboxPublishable: (await createKey(sandboxOf(project), 'PUBLISHABLE', 'Web app')).secret,
  };
});
afterAll(() => graph?.stop());

const ENVIRONMENT = 'query($id: ID!) { environment(id: $id) { id mode configuration project { id name } } }';
const environment = (id: string, key: string) =>
  graph.request<{ environment: { id: string; mode: string; configuration: Record<string, unknown>; project: { id: string; name: string } } | null }>(ENVIRONMENT, { id }, key);

describe('a secret key', () => {
  it('reads its own environment, its configuration and its project', async () => {
    const data = expectOk(await environment(sandboxOf(project), keys.sandboxSecret));
    expect(data.environment).toEqual({
      id: sandboxOf(project),
      mode: 'SANDBOX',
      configuration: { apiBase: 'https://sandbox.example', signingSecret: 'whsec_sandbox', public: { theme: 'dark' } },
      project: { id: project.id, name: 'Payments' },
    });
    const own = expectOk(await graph.request<{ project: { name: string; environments: { mode: string }[] } }>('query($id: ID!) { project(id: $id) { name environments { mode } } }', { id: project.id }, keys.sandboxSecret));
    expect(own.project).toEqual({ name: 'Payments', environments: [{ mode: 'SANDBOX' }] });
  });

  it('never reaches the other mode: a sandbox key gets nothing of live, a live key nothing of sandbox', async () => {
    expectError(await environment(liveOf(project), keys.sandboxSecret), 'NOT_FOUND');
    expectError(await environment(sandboxOf(project), keys.liveSecret), 'NOT_FOUND');
    expectError(await graph.request('query($id: ID!) { project(id: $id) { environment(mode: LIVE) { id configuration } } }', { id: project.id }, keys.sandboxSecret), 'NOT_FOUND');
    expectError(await graph.request('query($id: ID!) { project(id: $id) { environment(mode: SANDBOX) { id configuration } } }', { id: project.id }, keys.liveSecret), 'NOT_FOUND');
    const live = expectOk(await environment(liveOf(project), keys.liveSecret));
    expect(live.environment!.configuration).toEqual({ apiBase: 'https://live.example', signingSecret: 'whsec_live' });
    expect(JSON.stringify(await environment(liveOf(project), keys.sandboxSecret))).not.toContain('whsec_live');
  });

  it("answers another project's or environment's ID as one that does not exist", async () => {
    expectError(await environment(sandboxOf(other), keys.sandboxSecret), 'NOT_FOUND');
    expectError(await graph.request('query($id: ID!) { project(id: $id) { id name } }', { id: other.id }, keys.sandboxSecret), 'NOT_FOUND');
    expectError(await environment('env_01jzzzzzzzzzzzzzzzzzzzzzzz', keys.sandboxSecret), 'NOT_FOUND');
  });

  it.each([
    ['the organization', 'query($id: ID!) { project(id: $id) { organization { id name } } }', 'project'],
    ['the viewer', '{ viewer { id email } }', null],
    ['organizations by ID', 'query($id: ID!) { organization(id: $id) { id name } }', 'organization'],
    ['API keys', 'query($id: ID!) { environment(id: $id) { apiKeys { id } } }', 'environment'],
    ['configuration history', 'query($id: ID!) { environment(id: $id) { configurationVersions { totalCount } } }', 'environment'],
    ['credit usage', 'query($id: ID!) { environment(id: $id) { creditUsage(from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z") { total } } }', 'environment'],
  ])('reads nothing else: %s', async (_what, query, idOf) => {
    const id = idOf === 'project' ? project.id : idOf === 'organization' ? org.id : sandboxOf(project);
    const response: GraphQLResponse<Record<string, unknown>> = await graph.request(query, idOf ? { id } : {}, keys.sandboxSecret);
    expect(response.errors?.length ?? 0).toBeGreaterThan(0);
    expect(response.errors!.map((error) => error.extensions?.code)).toEqual(expect.arrayContaining([expect.stringMatching(/FORBIDDEN|NOT_FOUND/)]));
    expect(JSON.stringify(response)).not.toMatch(/Machines Inc|mia/i);
  });

  it.each([
    ['createProject', 'mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }', () => ({ input: { organizationId: org.id, name: 'By key' } })],
    [
      'updateEnvironmentConfiguration',
      'mutation($input: UpdateEnvironmentConfigurationInput!) { updateEnvironmentConfiguration(input: $input) { id } }',
      () => ({ input: { environmentId: sandboxOf(project), configuration: { hijacked: true }, expectedVersion: 2 } }),
    ],
    ['createApiKey', 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', () => ({ input: { environmentId: sandboxOf(project), kind: 'SECRET', name: 'More' } })],
  ])('changes nothing: %s is FORBIDDEN', async (_name, mutation, variables) => {
    expectError(await graph.request(mutation, variables(), keys.sandboxSecret), 'FORBIDDEN');
  });
});

describe('a publishable key', () => {
  it("reads its environment's public configuration and nothing more", async () => {
    const data = expectOk(await graph.request<{ environment: unknown }>('query($id: ID!) { environment(id: $id) { id mode publicConfiguration } }', { id: sandboxOf(project) }, keys.sandboxPublishable));
    expect(data.environment).toEqual({ id: sandboxOf(project), mode: 'SANDBOX', publicConfiguration: { theme: 'dark' } });
    expectError(await graph.request('query($id: ID!) { environment(id: $id) { configuration } }', { id: sandboxOf(project) }, keys.sandboxPublishable), 'FORBIDDEN');
    expectError(await graph.request('query($id: ID!) { environment(id: $id) { project { id } } }', { id: sandboxOf(project) }, keys.sandboxPublishable), 'FORBIDDEN');
    expectError(await graph.request('query($id: ID!) { project(id: $id) { id } }', { id: project.id }, keys.sandboxPublishable), 'NOT_FOUND');
  });
});

describe('a key that no longer works', () => {
  const reasonOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.reason;

  async function refusedEverywhere(secret: string, reason: string) {
    const atGateway = await environment(sandboxOf(project), secret);
    expect(atGateway.status).toBe(401);
    expect(reasonOf(atGateway)).toBe(reason);
    for (const name of ['identity', 'organizations', 'billing'] as const) {
      const direct = await asRouter(graph, graph.subgraphs[name].url).send('{ __typename }', {}, { authorization: `Bearer ${secret}` });
      expect({ name, code: direct.errors?.[0]?.extensions?.code, reason: reasonOf(direct) }).toEqual({ name, code: 'UNAUTHENTICATED', reason });
    }
  }

  it('revoked: refused by every service on the next request', async () => {
    const key = await createKey(sandboxOf(project), 'SECRET', 'Soon revoked');
    expectOk(await environment(sandboxOf(project), key.secret)); // cached everywhere now
    expectOk(await graph.request('mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { id } }', { input: { apiKeyId: key.id } }, owner.token));
    await refusedEverywhere(key.secret, 'revoked');
  });

  it('rolled: works through its grace period, then is refused as rolled; the new secret works', async () => {
    const key = await createKey(sandboxOf(project), 'SECRET', 'Rolled');
    const rolled = expectOk(
      await graph.request<{ rollApiKey: { secret: string } }>('mutation($input: RollApiKeyInput!) { rollApiKey(input: $input) { secret } }', { input: { apiKeyId: key.id, expiresInHours: 1 } }, owner.token),
    ).rollApiKey;
    expectOk(await environment(sandboxOf(project), key.secret));
    expectOk(await environment(sandboxOf(project), rolled.secret));
    // The grace period ends (as an hour passing would): every service hears it at commit.
    await graph.subgraphs.organizations.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [key.id]);
    await refusedEverywhere(key.secret, 'rolled');
    expectOk(await environment(sandboxOf(project), rolled.secret));
  });

  it('expired: refused as expired', async () => {
    const key = await createKey(sandboxOf(project), 'SECRET', 'Expiring');
    await graph.subgraphs.organizations.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [key.id]);
    await refusedEverywhere(key.secret, 'expired');
  });

  it("of a deleted project, or one that never existed: refused as invalid", async () => {
    const doomed = await createProject(graph, owner, org.id, 'Doomed machine');
    const key = await createKey(sandboxOf(doomed), 'SECRET', 'Orphaned');
    expectOk(await environment(sandboxOf(doomed), key.secret));
    expectOk(await graph.request('mutation($input: DeleteProjectInput!) { deleteProject(input: $input) { projectId } }', { input: { projectId: doomed.id, confirmName: 'Doomed machine' } }, owner.token));
    await refusedEverywhere(key.secret, 'invalid');
    await refusedEverywhere(`sk_test_${'A'.repeat(43)}`, 'invalid');
  });

  it('records its last use, at most once a minute', async () => {
    const key = await createKey(sandboxOf(project), 'SECRET', 'Used');
    expectOk(await environment(sandboxOf(project), key.secret));
    const [row] = await graph.subgraphs.organizations.db.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id]);
    expect(row.last_used_at).toBeInstanceOf(Date);
  });
});
