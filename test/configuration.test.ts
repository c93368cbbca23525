// Environments' configuration as a team changes it: every change an immutable version made against the version its
// author read, so no change is lost when two race; limits and the project's JSON Schema checked with the path that
// broke them; rollbacks and SANDBOX-to-LIVE promotions as versions too, previewed first.
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
  type GraphQLResponse,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
let owner: SignedInUser;
let member: SignedInUser;
let viewer: SignedInUser;
let org: CreatedOrganization;
beforeAll(async () => {
  // Histories read with their diffs are priced as their declared size (cost-limits.test.ts is about budgets): no budget.
  graph = await startGraph({ env: { COST_PER_MINUTE: '0' } });
  owner = await signUp(graph, 'Cora Config');
  member = await signUp(graph, 'Max Member');
  viewer = await signUp(graph, 'Vera Viewer');
  org = await createOrganization(graph, owner, 'Configured');
  await addMember(graph, org.id, member, 'MEMBER');
  await addMember(graph, org.id, viewer, 'VIEWER');
});
afterAll(() => graph?.stop());

const UPDATE = `mutation($input: UpdateEnvironmentConfigurationInput!) { updateEnvironmentConfiguration(input: $input) { id mode configuration configurationVersion } }`;
const ROLLBACK = `mutation($input: RollbackConfigurationInput!) { rollbackConfiguration(input: $input) { id configuration configurationVersion } }`;
const PROMOTE = `mutation($input: PromoteConfigurationInput!) { promoteConfiguration(input: $input) { id mode configuration configurationVersion } }`;
const SET_SCHEMA = `mutation($input: SetConfigurationSchemaInput!) { setConfigurationSchema(input: $input) { id configurationSchema } }`;

interface EnvironmentView {
  id: string;
  mode: string;
  configuration: Record<string, unknown>;
  configurationVersion: number;
}

const sandboxOf = (project: CreatedProject) => project.environments.find((environment) => environment.mode === 'SANDBOX')!.id;
const liveOf = (project: CreatedProject) => project.environments.find((environment) => environment.mode === 'LIVE')!.id;

const update = (environmentId: string, configuration: unknown, expectedVersion: number, as = member) =>
  graph.request<{ updateEnvironmentConfiguration: EnvironmentView }>(UPDATE, { input: { environmentId, configuration, expectedVersion } }, as.token);

async function environment(id: string): Promise<EnvironmentView> {
  return expectOk(await graph.request<{ environment: EnvironmentView }>('query($id: ID!) { environment(id: $id) { id mode configuration configurationVersion } }', { id }, owner.token)).environment;
}

interface VersionView {
  version: number;
  configuration: Record<string, unknown>;
  diff: { op: string; path: string; value: unknown; previousValue: unknown }[];
  source: string;
  sourceVersion: number | null;
  author: { type: string; user: { id: string } | null } | null;
}

async function versions(environmentId: string, first = 100, after: string | null = null) {
  return expectOk(
    await graph.request<{ environment: { configurationVersions: { totalCount: number; nodes: VersionView[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } }>(
      `query($id: ID!, $first: Int, $after: String) { environment(id: $id) { configurationVersions(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { version configuration diff { op path value previousValue } source sourceVersion author { type user { id } } }
      } } }`,
      { id: environmentId, first, after },
      owner.token,
    ),
  ).environment.configurationVersions;
}

const errorExtensions = (response: GraphQLResponse<unknown>) => response.errors![0].extensions!;

describe('updateEnvironmentConfiguration', () => {
  it('makes a new version with its author and what it changed, starting from version 1', async () => {
    const project = await createProject(graph, owner, org.id);
    const id = sandboxOf(project);
    expect(await environment(id)).toMatchObject({ configuration: {}, configurationVersion: 1 });

    const first = expectOk(await update(id, { retries: 3, features: { beta: false } }, 1)).updateEnvironmentConfiguration;
    expect(first).toMatchObject({ configuration: { retries: 3, features: { beta: false } }, configurationVersion: 2 });
    expectOk(await update(id, { retries: 5, features: { beta: false } }, 2));

    const history = await versions(id);
    expect(history.totalCount).toBe(3);
    expect(history.nodes.map((version) => version.version)).toEqual([3, 2, 1]);
    expect(history.nodes[0]).toEqual({
      version: 3,
      configuration: { retries: 5, features: { beta: false } },
      diff: [{ op: 'replace', path: '/retries', value: 5, previousValue: 3 }],
      source: 'UPDATE',
      sourceVersion: null,
      author: { type: 'USER', user: { id: member.id } },
    });
    expect(history.nodes[2]).toMatchObject({ version: 1, configuration: {}, diff: [], source: 'CREATED', author: null });
    // The other environment is untouched.
    expect(await environment(liveOf(project))).toMatchObject({ configuration: {}, configurationVersion: 1 });
  });

  it('refuses a stale expectedVersion with CONFLICT naming the current version, changing nothing', async () => {
    const id = sandboxOf(await createProject(graph, owner, org.id));
    expectOk(await update(id, { a: 1 }, 1));
    const stale = await update(id, { a: 2 }, 1);
    expect(expectError(stale, 'CONFLICT', 'expectedVersion')).toMatch(/at version 2, not 1/);
    expect(errorExtensions(stale)).toMatchObject({ currentVersion: 2, reason: 'stale_version' });
    expect(await environment(id)).toMatchObject({ configuration: { a: 1 }, configurationVersion: 2 });
  });

  it('of several changes made at once from one version, exactly one lands; none is lost silently', async () => {
    const id = sandboxOf(await createProject(graph, owner, org.id));
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => update(id, { writer: n }, 1)));
    const landed = results.filter((result) => !result.errors);
    expect(landed).toHaveLength(1);
    for (const result of results.filter((r) => r.errors)) expect(errorExtensions(result)).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect((await environment(id)).configuration).toEqual(landed[0].data!.updateEnvironmentConfiguration.configuration);
    expect((await versions(id)).totalCount).toBe(2);
  });

  it('writes no version for a configuration equal to the current one', async () => {
    const id = sandboxOf(await createProject(graph, owner, org.id));
    expectOk(await update(id, { same: true }, 1));
    expect(expectOk(await update(id, { same: true }, 2)).updateEnvironmentConfiguration.configurationVersion).toBe(2);
    expect((await versions(id)).totalCount).toBe(2);
  });

  it('names the path that breaks a limit: depth, key length, size', async () => {
    const id = sandboxOf(await createProject(graph, owner, org.id));
    let deep: unknown = 'bottom';
    for (let level = 0; level < 11; level++) deep = { d: deep };
    expect(expectError(await update(id, deep, 1), 'BAD_USER_INPUT', `configuration${'.d'.repeat(10)}`)).toMatch(/at most 10 levels/);
    expectError(await update(id, { nested: { ['k'.repeat(129)]: 1 } }, 1), 'BAD_USER_INPUT', `configuration.nested.${'k'.repeat(32)}…`);
    expect(expectError(await update(id, { big: 'x'.repeat(70 * 1024) }, 1), 'BAD_USER_INPUT', 'configuration')).toMatch(/at most 64 KiB/);
    const notAnObject = await update(id, [1, 2], 1);
    expect(notAnObject.errors![0].extensions!.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect(await environment(id)).toMatchObject({ configuration: {}, configurationVersion: 1 });
  });

  it('needs environments:write: a viewer reads the history but cannot change it', async () => {
    const id = sandboxOf(await createProject(graph, owner, org.id));
    expectError(await update(id, { a: 1 }, 1, viewer), 'FORBIDDEN');
    expect((await versions(id)).totalCount).toBe(1);
  });

  it('is refused on an archived project until it is restored', async () => {
    const project = await createProject(graph, owner, org.id);
    expectOk(await graph.request('mutation($input: ProjectInput!) { archiveProject(input: $input) { id } }', { input: { projectId: project.id } }, owner.token));
    const refused = await update(sandboxOf(project), { a: 1 }, 1);
    expectError(refused, 'CONFLICT');
    expect(errorExtensions(refused).reason).toBe('archived');
    expectOk(await graph.request('mutation($input: ProjectInput!) { restoreProject(input: $input) { id } }', { input: { projectId: project.id } }, owner.token));
    expectOk(await update(sandboxOf(project), { a: 1 }, 1));
  });

  it('records each change in the audit log by path, never by value', async () => {
    const id = sandboxOf(await createProject(graph, owner, org.id));
    expectOk(await update(id, { apiSecret: 'sk_do_not_log_me' }, 1));
    const data = expectOk(
      await graph.request<{ organization: { auditEvents: { nodes: { target: { id: string }; before: unknown; after: unknown }[] } } }>(
        'query($id: ID!) { organization(id: $id) { auditEvents(first: 100, filter: { action: "environment.configuration_updated" }) { nodes { target { id } before after } } } }',
        { id: org.id },
        owner.token,
      ),
    );
    const event = data.organization.auditEvents.nodes.find((node) => node.target.id === id)!;
    expect(event).toEqual({ target: { id }, before: { configurationVersion: 1 }, after: { configurationVersion: 2, changedPaths: ['/apiSecret'] } });
    expect(JSON.stringify(data)).not.toContain('sk_do_not_log_me');
  });

  it('keeps versions immutable in the database itself', async () => {
    const id = sandboxOf(await createProject(graph, owner, org.id));
    const db = graph.subgraphs.organizations.db;
    await expect(db.query(`UPDATE configuration_versions SET configuration = '{"forged": true}' WHERE environment_id = $1`, [id])).rejects.toThrow(/cannot be changed or deleted/);
    await expect(db.query('DELETE FROM configuration_versions WHERE environment_id = $1', [id])).rejects.toThrow(/cannot be changed or deleted/);
  });

  it('lists the first 200 changes of a large diff, and counts them all', async () => {
    const id = sandboxOf(await createProject(graph, owner, org.id));
    const wide = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`key${i}`, i]));
    expectOk(await update(id, wide, 1));
    const data = expectOk(
      await graph.request<{ environment: { configurationVersions: { nodes: { diff: unknown[]; changeCount: number }[] } } }>(
        'query($id: ID!) { environment(id: $id) { configurationVersions(first: 1) { nodes { diff { path } changeCount } } } }',
        { id },
        owner.token,
      ),
    );
    expect(data.environment.configurationVersions.nodes[0].diff).toHaveLength(200);
    expect(data.environment.configurationVersions.nodes[0].changeCount).toBe(300);
  });

  it('pages the history newest first without gaps', async () => {
    const id = sandboxOf(await createProject(graph, owner, org.id));
    for (let version = 1; version <= 4; version++) expectOk(await update(id, { version }, version));
    const seen: number[] = [];
    let after: string | null = null;
    do {
      const page = await versions(id, 2, after);
      seen.push(...page.nodes.map((node) => node.version));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual([5, 4, 3, 2, 1]);
  });
});

describe('rollbackConfiguration', () => {
  it("restores an earlier version's content as a new version", async () => {
    const id = sandboxOf(await createProject(graph, owner, org.id));
    expectOk(await update(id, { color: 'blue' }, 1));
    expectOk(await update(id, { color: 'red', size: 2 }, 2));
    const rolledBack = expectOk(await graph.request<{ rollbackConfiguration: EnvironmentView }>(ROLLBACK, { input: { environmentId: id, version: 2 } }, member.token));
    expect(rolledBack.rollbackConfiguration).toMatchObject({ configuration: { color: 'blue' }, configurationVersion: 4 });
    expect((await versions(id)).nodes[0]).toMatchObject({ version: 4, source: 'ROLLBACK', sourceVersion: 2, diff: expect.arrayContaining([{ op: 'remove', path: '/size', value: null, previousValue: 2 }]) });
  });

  it('refuses a version that does not exist and a stale expectedVersion', async () => {
    const id = sandboxOf(await createProject(graph, owner, org.id));
    expectOk(await update(id, { a: 1 }, 1));
    expect(expectError(await graph.request(ROLLBACK, { input: { environmentId: id, version: 9 } }, member.token), 'BAD_USER_INPUT', 'version')).toMatch(/no configuration version 9; its latest is 2/);
    expectError(await graph.request(ROLLBACK, { input: { environmentId: id, version: 1, expectedVersion: 1 } }, member.token), 'CONFLICT', 'expectedVersion');
    expect((await versions(id)).totalCount).toBe(2);
  });
});

describe('promotion', () => {
  it('previews then copies SANDBOX to LIVE as a new LIVE version', async () => {
    const project = await createProject(graph, owner, org.id);
    expectOk(await update(sandboxOf(project), { endpoint: 'https://api.example.com', retries: 3 }, 1));
    const preview = expectOk(
      await graph.request<{ project: { configurationDiff: { sandboxVersion: number; liveVersion: number; changes: unknown[] } } }>(
        'query($id: ID!) { project(id: $id) { configurationDiff { sandboxVersion liveVersion changes { op path value previousValue } } } }',
        { id: project.id },
        viewer.token,
      ),
    ).project.configurationDiff;
    expect(preview).toEqual({
      sandboxVersion: 2,
      liveVersion: 1,
      changes: expect.arrayContaining([
        { op: 'add', path: '/endpoint', value: 'https://api.example.com', previousValue: null },
        { op: 'add', path: '/retries', value: 3, previousValue: null },
      ]),
    });

    const promoted = expectOk(await graph.request<{ promoteConfiguration: EnvironmentView }>(PROMOTE, { input: { projectId: project.id, expectedLiveVersion: 1 } }, member.token));
    expect(promoted.promoteConfiguration).toMatchObject({ id: liveOf(project), mode: 'LIVE', configuration: { endpoint: 'https://api.example.com', retries: 3 }, configurationVersion: 2 });
    expect((await versions(liveOf(project))).nodes[0]).toMatchObject({ source: 'PROMOTION', sourceVersion: 2 });
    // SANDBOX is unchanged, and nothing is left to promote.
    expect(await environment(sandboxOf(project))).toMatchObject({ configurationVersion: 2 });
    const after = expectOk(await graph.request<{ project: { configurationDiff: { changes: unknown[] } } }>('query($id: ID!) { project(id: $id) { configurationDiff { changes { path } } } }', { id: project.id }, owner.token));
    expect(after.project.configurationDiff.changes).toEqual([]);
  });

  it('refuses when LIVE changed since the preview', async () => {
    const project = await createProject(graph, owner, org.id);
    expectOk(await update(sandboxOf(project), { a: 1 }, 1));
    expectOk(await update(liveOf(project), { hotfix: true }, 1));
    const refused = await graph.request(PROMOTE, { input: { projectId: project.id, expectedLiveVersion: 1 } }, member.token);
    expect(expectError(refused, 'CONFLICT', 'expectedLiveVersion')).toMatch(/LIVE configuration is at version 2/);
    expect(await environment(liveOf(project))).toMatchObject({ configuration: { hotfix: true } });
  });

  it('is FORBIDDEN without environments:write', async () => {
    const project = await createProject(graph, owner, org.id);
    expectError(await graph.request(PROMOTE, { input: { projectId: project.id, expectedLiveVersion: 1 } }, viewer.token), 'FORBIDDEN');
  });
});

describe('the project configuration schema', () => {
  const SCHEMA = {
    type: 'object',
    properties: { retries: { type: 'integer', minimum: 0, maximum: 10 }, endpoint: { type: 'string', format: 'uri' } },
    additionalProperties: false,
  };

  it('is checked on every change, naming the path that breaks it', async () => {
    const project = await createProject(graph, owner, org.id);
    const set = expectOk(await graph.request<{ setConfigurationSchema: { configurationSchema: unknown } }>(SET_SCHEMA, { input: { projectId: project.id, schema: SCHEMA } }, member.token));
    expect(set.setConfigurationSchema.configurationSchema).toEqual(SCHEMA);
    expect(expectError(await update(sandboxOf(project), { retries: 11 }, 1), 'BAD_USER_INPUT', 'configuration.retries')).toMatch(/must be <= 10/);
    expectError(await update(sandboxOf(project), { unknown: 1 }, 1), 'BAD_USER_INPUT', 'configuration');
    expectOk(await update(sandboxOf(project), { retries: 2, endpoint: 'https://x.example' }, 1));
    // Removing it lifts the rule.
    expectOk(await graph.request(SET_SCHEMA, { input: { projectId: project.id, schema: null } }, member.token));
    expectOk(await update(sandboxOf(project), { anything: 'goes' }, 2));
  });

  it('must be a JSON Schema the current configurations already follow', async () => {
    const project = await createProject(graph, owner, org.id);
    expectOk(await update(liveOf(project), { retries: 50 }, 1));
    expect(expectError(await graph.request(SET_SCHEMA, { input: { projectId: project.id, schema: { type: 'object', propertiez: {} } } }, member.token), 'BAD_USER_INPUT', 'schema')).toMatch(
      /unknown keyword: "propertiez"/,
    );
    expect(expectError(await graph.request(SET_SCHEMA, { input: { projectId: project.id, schema: SCHEMA } }, member.token), 'BAD_USER_INPUT', 'schema')).toMatch(/The LIVE configuration does not follow this schema/);
    const data = expectOk(await graph.request<{ project: { configurationSchema: unknown } }>('query($id: ID!) { project(id: $id) { configurationSchema } }', { id: project.id }, owner.token));
    expect(data.project.configurationSchema).toBeNull();
  });

  it('cannot make the service spin with a catastrophic pattern', async () => {
    const project = await createProject(graph, owner, org.id);
    expectOk(await graph.request(SET_SCHEMA, { input: { projectId: project.id, schema: { type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' } } } } }, member.token));
    expectError(await update(sandboxOf(project), { name: `${'a'.repeat(10_000)}!` }, 1), 'BAD_USER_INPUT', 'configuration.name');
  });
});
