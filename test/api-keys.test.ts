// API keys as their owners manage them: a secret shown once and stored only as a hash, a list that shows enough to
// recognise a key, rolls with a grace period, revocation, quotas, and every change in the audit log without a secret.
import pino from 'pino';
import { logger } from '@orgapi/shared';
import {
  addMember,
  createOrganization,
  createProject,
  expectError,
  expectOk,
  signUp,
  startGraph,
  type CreatedOrganization,
  type CreatedProject,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
let owner: SignedInUser;
let member: SignedInUser;
let viewer: SignedInUser;
let org: CreatedOrganization;
let project: CreatedProject;
beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph, 'Kai Keys');
  member = await signUp(graph, 'Mo Member');
  viewer = await signUp(graph, 'Val Viewer');
  org = await createOrganization(graph, owner, 'Keyed');
  await addMember(graph, org.id, member, 'MEMBER');
  await addMember(graph, org.id, viewer, 'VIEWER');
  project = await createProject(graph, owner, org.id, 'Checkout');
});
afterAll(() => graph?.stop());

const KEY_FIELDS = 'id name kind prefix lastFour status createdBy { id } createdAt expiresAt lastUsedAt revokedAt rolledAt replacedBy';
const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { ${KEY_FIELDS} } } }`;
const ROLL = `mutation($input: RollApiKeyInput!) { rollApiKey(input: $input) { secret apiKey { ${KEY_FIELDS} } } }`;
const REVOKE = `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { ${KEY_FIELDS} } }`;

interface KeyView {
  id: string;
  name: string;
  kind: string;
  prefix: string;
  lastFour: string;
  status: string;
  createdBy: { id: string } | null;
  expiresAt: string | null;
  revokedAt: string | null;
  rolledAt: string | null;
  replacedBy: string | null;
}

const sandbox = () => project.environments.find((environment) => environment.mode === 'SANDBOX')!.id;
const live = () => project.environments.find((environment) => environment.mode === 'LIVE')!.id;

async function createKey(input: Record<string, unknown>, as = member) {
  return expectOk(await graph.request<{ createApiKey: { secret: string; apiKey: KeyView } }>(CREATE, { input }, as.token)).createApiKey;
}

async function listed(environmentId: string, as = viewer): Promise<KeyView[]> {
  return expectOk(await graph.request<{ environment: { apiKeys: KeyView[] } }>(`query($id: ID!) { environment(id: $id) { apiKeys { ${KEY_FIELDS} } } }`, { id: environmentId }, as.token)).environment
    .apiKeys;
}

describe('createApiKey', () => {
  it('returns the secret once, shaped by kind and mode, and lists only its prefix and last four', async () => {
    const { secret, apiKey } = await createKey({ environmentId: live(), kind: 'SECRET', name: 'Checkout server' });
    expect(secret).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: 'Checkout server', kind: 'SECRET', prefix: secret.slice(0, 12), lastFour: secret.slice(-4), status: 'ACTIVE', createdBy: { id: member.id } });
    const publishable = await createKey({ environmentId: sandbox(), kind: 'PUBLISHABLE', name: 'Web app' });
    expect(publishable.secret).toMatch(/^pk_test_/);

    const keys = await listed(live());
    expect(keys.map((key) => key.id)).toContain(apiKey.id);
    expect(JSON.stringify(keys)).not.toContain(secret);
    // Stored as a hash: the database holds no secret either.
    const rows = await graph.subgraphs.organizations.db.query('SELECT * FROM api_keys WHERE id = $1', [apiKey.id]);
    expect(JSON.stringify(rows)).not.toContain(secret.slice(12, -4));
  });

  it('refuses a blank name, a past expiry and a viewer, creating nothing', async () => {
    const before = (await listed(sandbox())).length;
    expectError(await graph.request(CREATE, { input: { environmentId: sandbox(), kind: 'SECRET', name: '  ' } }, member.token), 'BAD_USER_INPUT', 'name');
    expectError(await graph.request(CREATE, { input: { environmentId: sandbox(), kind: 'SECRET', name: 'Old', expiresAt: '2020-01-01T00:00:00Z' } }, member.token), 'BAD_USER_INPUT', 'expiresAt');
    expectError(await graph.request(CREATE, { input: { environmentId: sandbox(), kind: 'SECRET', name: 'Viewer' } }, viewer.token), 'FORBIDDEN');
    expect(await listed(sandbox())).toHaveLength(before);
  });

  it('is refused on an archived project, whose keys keep working', async () => {
    const archived = await createProject(graph, owner, org.id);
    expectOk(await graph.request('mutation($input: ProjectInput!) { archiveProject(input: $input) { id } }', { input: { projectId: archived.id } }, owner.token));
    const refused = await graph.request(CREATE, { input: { environmentId: archived.environments[0].id, kind: 'SECRET', name: 'Late' } }, member.token);
    expectError(refused, 'CONFLICT');
    expect(refused.errors![0].extensions!.reason).toBe('archived');
  });

  it('stops at 50 working keys per environment, counted under a lock', async () => {
    const own = await createProject(graph, owner, org.id);
    const environmentId = own.environments[0].id;
    const results = await Promise.all(Array.from({ length: 55 }, (_, i) => graph.request(CREATE, { input: { environmentId, kind: 'SECRET', name: `Key ${i}` } }, member.token)));
    expect(results.filter((result) => !result.errors)).toHaveLength(50);
    for (const refused of results.filter((result) => result.errors)) expectError(refused, 'QUOTA_EXCEEDED');
  });
});

describe('rollApiKey', () => {
  it('issues a new secret and keeps the old one working for the grace period', async () => {
    const { apiKey: old } = await createKey({ environmentId: live(), kind: 'SECRET', name: 'Rolled' });
    const started = Date.now();
    const rolled = expectOk(await graph.request<{ rollApiKey: { secret: string; apiKey: KeyView } }>(ROLL, { input: { apiKeyId: old.id, expiresInHours: 24 } }, member.token)).rollApiKey;
    expect(rolled.secret).toMatch(/^sk_live_/);
    expect(rolled.apiKey).toMatchObject({ name: 'Rolled', kind: 'SECRET', status: 'ACTIVE' });
    const oldNow = (await listed(live())).find((key) => key.id === old.id)!;
    expect(oldNow).toMatchObject({ status: 'ROLLED', replacedBy: rolled.apiKey.id, rolledAt: expect.any(String) });
    expect(Math.abs(Date.parse(oldNow.expiresAt!) - (started + 24 * 3_600_000))).toBeLessThan(60_000);
  });

  it('with 0 hours ends the old secret now; a rolled key cannot be rolled again', async () => {
    const { apiKey: old } = await createKey({ environmentId: live(), kind: 'SECRET', name: 'Leaked' });
    expectOk(await graph.request(ROLL, { input: { apiKeyId: old.id, expiresInHours: 0 } }, member.token));
    expect((await listed(live())).find((key) => key.id === old.id)!.status).toBe('EXPIRED');
    expectError(await graph.request(ROLL, { input: { apiKeyId: old.id, expiresInHours: 0 } }, member.token), 'CONFLICT');
  });

  it('refuses a grace period over a week', async () => {
    const { apiKey } = await createKey({ environmentId: live(), kind: 'SECRET', name: 'Long' });
    expectError(await graph.request(ROLL, { input: { apiKeyId: apiKey.id, expiresInHours: 169 } }, member.token), 'BAD_USER_INPUT', 'expiresInHours');
  });
});

describe('revokeApiKey', () => {
  it('revokes once, is idempotent, and is FORBIDDEN to a viewer', async () => {
    const { apiKey } = await createKey({ environmentId: sandbox(), kind: 'PUBLISHABLE', name: 'Revoked' });
    expectError(await graph.request(REVOKE, { input: { apiKeyId: apiKey.id } }, viewer.token), 'FORBIDDEN');
    const revoked = expectOk(await graph.request<{ revokeApiKey: KeyView }>(REVOKE, { input: { apiKeyId: apiKey.id } }, member.token)).revokeApiKey;
    expect(revoked).toMatchObject({ status: 'REVOKED', revokedAt: expect.any(String) });
    const again = expectOk(await graph.request<{ revokeApiKey: KeyView }>(REVOKE, { input: { apiKeyId: apiKey.id } }, member.token)).revokeApiKey;
    expect(again.revokedAt).toBe(revoked.revokedAt);
  });

  it('answers a key of another organization, or of a deleted project, as one that does not exist', async () => {
    const stranger = await signUp(graph, 'Stan Stranger');
    const { apiKey } = await createKey({ environmentId: sandbox(), kind: 'SECRET', name: 'Not yours' });
    expectError(await graph.request(REVOKE, { input: { apiKeyId: apiKey.id } }, stranger.token), 'NOT_FOUND');
    expectError(await graph.request(REVOKE, { input: { apiKeyId: 'key_01jzzzzzzzzzzzzzzzzzzzzzzz' } }, stranger.token), 'NOT_FOUND');
    const doomed = await createProject(graph, owner, org.id, 'Doomed keys');
    const { apiKey: orphan } = await createKey({ environmentId: doomed.environments[0].id, kind: 'SECRET', name: 'Orphan' });
    expectOk(await graph.request('mutation($input: DeleteProjectInput!) { deleteProject(input: $input) { projectId } }', { input: { projectId: doomed.id, confirmName: 'Doomed keys' } }, owner.token));
    expectError(await graph.request(REVOKE, { input: { apiKeyId: orphan.id } }, owner.token), 'NOT_FOUND');
  });
});

describe("a removed member's view", () => {
  it('loses the environments and their keys at once, and keys they created keep working for the organization', async () => {
    const leaving = await signUp(graph, 'Lee Leaving');
    await addMember(graph, org.id, leaving, 'ADMIN');
    const { secret } = await createKey({ environmentId: sandbox(), kind: 'SECRET', name: 'Made by Lee' }, leaving);
    expect((await listed(sandbox(), leaving)).length).toBeGreaterThan(0);
    const membershipId = expectOk(
      await graph.request<{ organization: { members: { nodes: { id: string; user: { id: string } }[] } } }>(
        'query($id: ID!) { organization(id: $id) { members(first: 100) { nodes { id user { id } } } } }',
        { id: org.id },
        owner.token,
      ),
    ).organization.members.nodes.find((node) => node.user.id === leaving.id)!.id;
    expectOk(await graph.request('mutation($input: RemoveMemberInput!) { removeMember(input: $input) { id } }', { input: { membershipId } }, owner.token));
    expectError(await graph.request('query($id: ID!) { environment(id: $id) { apiKeys { id } } }', { id: sandbox() }, leaving.token), 'NOT_FOUND');
    expectError(await graph.request(CREATE, { input: { environmentId: sandbox(), kind: 'SECRET', name: 'After' } }, leaving.token), 'NOT_FOUND');
    // A key belongs to its environment, not to whoever created it, as Stripe's do: revoke it if the person should take it along.
    expectOk(await graph.request('query($id: ID!) { environment(id: $id) { id } }', { id: sandbox() }, secret));
  });
});

describe('secrets', () => {
  it('appear in no log line and in no audit event, while every create, roll and revoke is audited', async () => {
    const lines: string[] = [];
    const stream = logger[pino.symbols.streamSym as unknown as keyof typeof logger];
    const level = logger.level;
    Object.assign(logger, { [pino.symbols.streamSym]: { write: (line: string) => lines.push(line) } });
    logger.level = 'trace';
    let secrets: string[];
    let ids: string[];
    try {
      const created = await createKey({ environmentId: live(), kind: 'SECRET', name: 'Logged?' });
      const rolled = expectOk(await graph.request<{ rollApiKey: { secret: string; apiKey: KeyView } }>(ROLL, { input: { apiKeyId: created.apiKey.id, expiresInHours: 1 } }, member.token)).rollApiKey;
      // Used as a bearer token, by a machine client, while everything is logged.
      expectOk(await graph.request('query($id: ID!) { environment(id: $id) { id } }', { id: live() }, rolled.secret));
      expectOk(await graph.request(REVOKE, { input: { apiKeyId: rolled.apiKey.id } }, member.token));
      secrets = [created.secret, rolled.secret];
      ids = [created.apiKey.id, rolled.apiKey.id];
    } finally {
      logger.level = level;
      Object.assign(logger, { [pino.symbols.streamSym]: stream });
    }
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(lines.filter((line) => line.includes(secret.slice(8)))).toEqual([]);

    const audit = expectOk(
      await graph.request<{ organization: { auditEvents: { nodes: { action: string; target: { id: string } }[] } } }>(
        'query($id: ID!) { organization(id: $id) { auditEvents(first: 100) { nodes { action target { id } before after } } } }',
        { id: org.id },
        owner.token,
      ),
    );
    const events = audit.organization.auditEvents.nodes.filter((event) => ids.includes(event.target.id)).map((event) => event.action);
    expect(events).toEqual(['api_key.revoked', 'api_key.rolled', 'api_key.created']);
    for (const secret of secrets) expect(JSON.stringify(audit)).not.toContain(secret.slice(8));
  });
});
