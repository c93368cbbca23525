// Projects through their life: renamed and described, archived (read-only) and restored, found by a search, and
// deleted for everyone at once while billing keeps their history; and the two environments the database holds every
// project to, whatever SQL is sent.
import {
  addMember,
  createOrganization,
  createProject,
  expectError,
  expectOk,
  grantCredits,
  recordUsage,
  signUp,
  startGraph,
  unique,
  type CreatedOrganization,
  type CreatedProject,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
let owner: SignedInUser;
let viewer: SignedInUser;
let org: CreatedOrganization;
beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph, 'Pia Projects');
  viewer = await signUp(graph, 'Vic Viewer');
  org = await createOrganization(graph, owner, 'Projects Inc');
  await addMember(graph, org.id, viewer, 'VIEWER');
});
afterAll(() => graph?.stop());

const PROJECT_FIELDS = 'id name description archived archivedAt updatedAt';
const UPDATE = `mutation($input: UpdateProjectInput!) { updateProject(input: $input) { ${PROJECT_FIELDS} } }`;
const ARCHIVE = `mutation($input: ProjectInput!) { archiveProject(input: $input) { ${PROJECT_FIELDS} } }`;
const RESTORE = `mutation($input: ProjectInput!) { restoreProject(input: $input) { ${PROJECT_FIELDS} } }`;
const DELETE = 'mutation($input: DeleteProjectInput!) { deleteProject(input: $input) { projectId deletedAt } }';

interface ProjectView {
  id: string;
  name: string;
  description: string;
  archived: boolean;
  archivedAt: string | null;
  updatedAt: string;
}

const projectOf = async (id: string, as = owner) =>
  graph.request<{ project: ProjectView | null }>(`query($id: ID!) { project(id: $id) { ${PROJECT_FIELDS} } }`, { id }, as.token);

async function listed(filter: Record<string, unknown> | null, organizationId = org.id): Promise<{ totalCount: number; names: string[] }> {
  const data = expectOk(
    await graph.request<{ organization: { projects: { totalCount: number; nodes: { name: string }[] } } }>(
      'query($id: ID!, $filter: ProjectFilterInput) { organization(id: $id) { projects(first: 100, filter: $filter) { totalCount nodes { name } } } }',
      { id: organizationId, filter },
      owner.token,
    ),
  );
  return { totalCount: data.organization.projects.totalCount, names: data.organization.projects.nodes.map((node) => node.name) };
}

const auditActions = async (projectId: string) => {
  const data = expectOk(
    await graph.request<{ organization: { auditEvents: { nodes: { action: string; target: { id: string }; before: unknown; after: unknown }[] } } }>(
      'query($id: ID!) { organization(id: $id) { auditEvents(first: 100) { nodes { action target { id } before after } } } }',
      { id: org.id },
      owner.token,
    ),
  );
  return data.organization.auditEvents.nodes.filter((event) => event.target.id === projectId);
};

describe('updateProject', () => {
  it('renames and describes a project, and records what changed', async () => {
    const project = await createProject(graph, owner, org.id, unique('Web'));
    const name = unique('Website');
    const updated = expectOk(await graph.request<{ updateProject: ProjectView }>(UPDATE, { input: { projectId: project.id, name, description: '  Marketing site ' } }, owner.token));
    expect(updated.updateProject).toMatchObject({ id: project.id, name, description: 'Marketing site', archived: false, archivedAt: null });
    expect((await auditActions(project.id))[0]).toEqual({ action: 'project.updated', target: { id: project.id }, before: { name: project.name, description: '' }, after: { name, description: 'Marketing site' } });
  });

  it('keeps what is left out, and an empty description removes it', async () => {
    const project = await createProject(graph, owner, org.id);
    expectOk(await graph.request(UPDATE, { input: { projectId: project.id, description: 'Something' } }, owner.token));
    const cleared = expectOk(await graph.request<{ updateProject: ProjectView }>(UPDATE, { input: { projectId: project.id, description: '' } }, owner.token));
    expect(cleared.updateProject).toMatchObject({ name: project.name, description: '' });
  });

  it("refuses another project's name (ignoring case), a blank name and an over-long description, changing nothing", async () => {
    const taken = await createProject(graph, owner, org.id, unique('Taken'));
    const project = await createProject(graph, owner, org.id);
    expectError(await graph.request(UPDATE, { input: { projectId: project.id, name: taken.name.toUpperCase() } }, owner.token), 'CONFLICT', 'name');
    expectError(await graph.request(UPDATE, { input: { projectId: project.id, name: '   ' } }, owner.token), 'BAD_USER_INPUT', 'name');
    expectError(await graph.request(UPDATE, { input: { projectId: project.id, description: 'x'.repeat(1_001) } }, owner.token), 'BAD_USER_INPUT', 'description');
    expect((await projectOf(project.id)).data!.project).toMatchObject({ name: project.name, description: '' });
  });

  it('of two renames to one name at the same moment, exactly one wins', async () => {
    const [a, b] = [await createProject(graph, owner, org.id), await createProject(graph, owner, org.id)];
    const name = unique('Contested');
    const results = await Promise.all([a, b].map((project) => graph.request(UPDATE, { input: { projectId: project.id, name } }, owner.token)));
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    expectError(results.find((result) => result.errors)!, 'CONFLICT', 'name');
  });

  it('is FORBIDDEN to a viewer, who still reads the project', async () => {
    const project = await createProject(graph, owner, org.id);
    expectError(await graph.request(UPDATE, { input: { projectId: project.id, name: 'Viewer was here' } }, viewer.token), 'FORBIDDEN');
    expect((await projectOf(project.id, viewer)).data!.project!.name).toBe(project.name);
  });
});

describe('archiving', () => {
  it('makes a project read-only until restored, and is recorded each way', async () => {
    const project = await createProject(graph, owner, org.id);
    const archived = expectOk(await graph.request<{ archiveProject: ProjectView }>(ARCHIVE, { input: { projectId: project.id } }, owner.token)).archiveProject;
    expect(archived).toMatchObject({ archived: true, archivedAt: expect.any(String) });

    const refused = await graph.request(UPDATE, { input: { projectId: project.id, name: 'Changed anyway' } }, owner.token);
    expect(expectError(refused, 'CONFLICT')).toMatch(/restore it first/);
    expect(refused.errors![0].extensions).toMatchObject({ reason: 'archived' });
    // Still readable, environments included.
    expect((await projectOf(project.id, viewer)).data!.project).toMatchObject({ name: project.name, archived: true });

    const restored = expectOk(await graph.request<{ restoreProject: ProjectView }>(RESTORE, { input: { projectId: project.id } }, owner.token)).restoreProject;
    expect(restored).toMatchObject({ archived: false, archivedAt: null });
    expectOk(await graph.request(UPDATE, { input: { projectId: project.id, description: 'Back in use' } }, owner.token));
    expect((await auditActions(project.id)).map((event) => event.action)).toEqual(['project.updated', 'project.restored', 'project.archived', 'project.created']);
  });

  it('twice changes nothing the second time', async () => {
    const project = await createProject(graph, owner, org.id);
    const first = expectOk(await graph.request<{ archiveProject: ProjectView }>(ARCHIVE, { input: { projectId: project.id } }, owner.token)).archiveProject;
    const second = expectOk(await graph.request<{ archiveProject: ProjectView }>(ARCHIVE, { input: { projectId: project.id } }, owner.token)).archiveProject;
    expect(second.archivedAt).toBe(first.archivedAt);
    expect((await auditActions(project.id)).filter((event) => event.action === 'project.archived')).toHaveLength(1);
  });
});

describe('Organization.projects(filter)', () => {
  let own: CreatedOrganization;
  let projects: CreatedProject[];
  beforeAll(async () => {
    own = await createOrganization(graph, owner, 'Filtered');
    projects = [];
    for (const name of ['API gateway', 'Web app', 'Mobile app', '100% coverage']) projects.push(await createProject(graph, owner, own.id, name));
    expectOk(await graph.request(UPDATE, { input: { projectId: projects[0].id, description: 'Routes every APP request' } }, owner.token));
    expectOk(await graph.request(ARCHIVE, { input: { projectId: projects[2].id } }, owner.token));
  });

  it('lists every project oldest first, archived ones included, when left out', async () => {
    expect(await listed(null, own.id)).toEqual({ totalCount: 4, names: ['API gateway', 'Web app', 'Mobile app', '100% coverage'] });
  });

  it('selects archived or unarchived projects', async () => {
    expect(await listed({ archived: true }, own.id)).toEqual({ totalCount: 1, names: ['Mobile app'] });
    expect(await listed({ archived: false }, own.id)).toEqual({ totalCount: 3, names: ['API gateway', 'Web app', '100% coverage'] });
  });

  it('searches names and descriptions ignoring case, with % and _ as plain characters', async () => {
    expect(await listed({ search: ' app ' }, own.id)).toEqual({ totalCount: 3, names: ['API gateway', 'Web app', 'Mobile app'] });
    expect(await listed({ search: 'app', archived: false }, own.id)).toEqual({ totalCount: 2, names: ['API gateway', 'Web app'] });
    expect(await listed({ search: '0%' }, own.id)).toEqual({ totalCount: 1, names: ['100% coverage'] });
    expect(await listed({ search: '_' }, own.id)).toEqual({ totalCount: 0, names: [] });
    expect(await listed({ search: '' }, own.id)).toMatchObject({ totalCount: 4 });
  });

  it('pages without skipping or repeating', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { organization: { projects: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } = expectOk(
        await graph.request(
          'query($id: ID!, $after: String) { organization(id: $id) { projects(first: 1, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } } }',
          { id: own.id, after },
          owner.token,
        ),
      );
      seen.push(...page.organization.projects.nodes.map((node) => node.name));
      after = page.organization.projects.pageInfo.hasNextPage ? page.organization.projects.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(['API gateway', 'Web app', 'Mobile app', '100% coverage']);
  });

  it('refuses a search over 100 characters', async () => {
    const response = await graph.request('query($id: ID!) { organization(id: $id) { projects(filter: { search: "' + 'x'.repeat(101) + '" }) { totalCount } } }', { id: own.id }, owner.token);
    expect(response.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
  });
});

describe('deleteProject', () => {
  it('asks for the name typed exactly, and changes nothing otherwise', async () => {
    const project = await createProject(graph, owner, org.id, unique('Careful'));
    expect(expectError(await graph.request(DELETE, { input: { projectId: project.id, confirmName: project.name.toLowerCase() } }, owner.token), 'BAD_USER_INPUT', 'confirmName')).toContain(
      project.name,
    );
    expect((await projectOf(project.id)).data!.project).not.toBeNull();
  });

  it('removes the project and its environments for every member at once, frees its name and keeps its usage in billing', async () => {
    const own = await createOrganization(graph, owner, 'Deleting');
    await addMember(graph, own.id, viewer, 'VIEWER');
    const project = await createProject(graph, owner, own.id, 'Doomed');
    await grantCredits(graph, own.id, 100);
    const at = new Date('2026-11-10T12:00:00Z');
    await recordUsage(graph, { organizationId: own.id, projectId: project.id, environmentId: project.environments[0].id, amount: 7, at });

    const deleted = expectOk(await graph.request<{ deleteProject: { projectId: string; deletedAt: string } }>(DELETE, { input: { projectId: project.id, confirmName: 'Doomed' } }, owner.token));
    expect(deleted.deleteProject).toEqual({ projectId: project.id, deletedAt: expect.any(String) });

    for (const user of [owner, viewer]) {
      expectError(await projectOf(project.id, user), 'NOT_FOUND');
      expectError(await graph.request('query($id: ID!) { environment(id: $id) { id } }', { id: project.environments[1].id }, user.token), 'NOT_FOUND');
    }
    expect(await listed(null, own.id)).toEqual({ totalCount: 0, names: [] });
    // Changing it again is NOT_FOUND too, like a project that never existed.
    expectError(await graph.request(ARCHIVE, { input: { projectId: project.id } }, owner.token), 'NOT_FOUND');
    expectError(await graph.request(DELETE, { input: { projectId: project.id, confirmName: 'Doomed' } }, owner.token), 'NOT_FOUND');

    // Billing's history stays: the organization's usage still counts what the project used.
    const usage = expectOk(
      await graph.request<{ organization: { creditUsage: { total: number }; creditBalance: { used: number } } }>(
        'query($id: ID!) { organization(id: $id) { creditUsage(from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z") { total } creditBalance { used } } }',
        { id: own.id },
        owner.token,
      ),
    );
    expect(usage.organization).toEqual({ creditUsage: { total: 7 }, creditBalance: { used: 7 } });

    // The name is free again, and the audit log says who deleted what.
    expect((await createProject(graph, owner, own.id, 'Doomed')).id).not.toBe(project.id);
    const data = expectOk(
      await graph.request<{ organization: { auditEvents: { nodes: { action: string; target: { id: string }; before: unknown }[] } } }>(
        'query($id: ID!) { organization(id: $id) { auditEvents(first: 100, filter: { action: "project.deleted" }) { nodes { action target { id } before } } } }',
        { id: own.id },
        owner.token,
      ),
    );
    expect(data.organization.auditEvents.nodes).toEqual([{ action: 'project.deleted', target: { id: project.id }, before: { name: 'Doomed', description: '', archived: false } }]);
  });

  it('frees a place in the projects quota', async () => {
    const limited = await startGraph({ serviceEnv: { organizations: { MAX_PROJECTS_PER_ORGANIZATION: '2' } } });
    try {
      const user = await signUp(limited, 'Quota Quinn');
      const own = await createOrganization(limited, user, 'Tight');
      const [first] = [await createProject(limited, user, own.id, 'One'), await createProject(limited, user, own.id, 'Two')];
      expectError(await limited.request('mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }', { input: { organizationId: own.id, name: 'Three' } }, user.token), 'QUOTA_EXCEEDED');
      expectOk(await limited.request(DELETE, { input: { projectId: first.id, confirmName: 'One' } }, user.token));
      expect((await createProject(limited, user, own.id, 'Three')).name).toBe('Three');
    } finally {
      await limited.stop();
    }
  });
});

describe('environments, as the database keeps them', () => {
  const sql = (text: string, parameters: unknown[] = []) => graph.subgraphs.organizations.db.query(text, parameters);

  it('cannot become three, nor be deleted, moved or given another mode', async () => {
    const project = await createProject(graph, owner, org.id);
    const other = await createProject(graph, owner, org.id);
    const [sandbox, live] = project.environments;
    await expect(sql(`INSERT INTO environments (id, organization_id, project_id, mode) VALUES ('env_third', $1, $2, 'LIVE')`, [org.id, project.id])).rejects.toThrow(/environments_project_mode_key/);
    await expect(sql(`INSERT INTO environments (id, organization_id, project_id, mode) VALUES ('env_third', $1, $2, 'STAGING')`, [org.id, project.id])).rejects.toThrow(/check/);
    await expect(sql('DELETE FROM environments WHERE id = $1', [live.id])).rejects.toThrow(/deleted only with its project/);
    await expect(sql('UPDATE environments SET mode = $2 WHERE id = $1', [sandbox.id, 'LIVE'])).rejects.toThrow(/keeps its ID, project, organization and mode/);
    await expect(sql('UPDATE environments SET project_id = $2 WHERE id = $1', [sandbox.id, other.id])).rejects.toThrow(/keeps its ID/);
    // Configuration may change.
    await sql(`UPDATE environments SET configuration = '{"a": 1}' WHERE id = $1`, [sandbox.id]);
    const data = expectOk(await graph.request<{ project: { environments: { id: string; mode: string }[] } }>('query($id: ID!) { project(id: $id) { environments { id mode } } }', { id: project.id }, owner.token));
    expect(data.project.environments).toEqual(project.environments);
  });

  it('are made with their project: a project without both cannot commit', async () => {
    await expect(
      graph.subgraphs.organizations.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO projects (id, organization_id, name) VALUES ('prj_lonely', $1, 'Lonely')`, [org.id]);
        await tx.query(`INSERT INTO environments (id, organization_id, project_id, mode) VALUES ('env_lonely', $1, 'prj_lonely', 'SANDBOX')`, [org.id]);
      }),
    ).rejects.toThrow(/exactly one SANDBOX and one LIVE/);
    expect(await sql(`SELECT id FROM projects WHERE id = 'prj_lonely'`)).toEqual([]);
  });

  it("belong to their project's organization", async () => {
    const project = await createProject(graph, owner, org.id);
    const elsewhere = await createOrganization(graph, owner, 'Elsewhere');
    await expect(sql('UPDATE environments SET organization_id = $2 WHERE id = $1', [project.environments[0].id, elsewhere.id])).rejects.toThrow(/keeps its ID/);
  });
});
