// The audit log: every change to an organization is recorded with who, what, when and from where, and cannot be rewritten.
import { addMember, createOrganization, createProject, expectError, expectOk, signUp, startGraph, type CreatedOrganization, type SignedInUser, type TestGraph } from './harness';

let graph: TestGraph;
let owner: SignedInUser;
let org: CreatedOrganization;
beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph, 'Auditor');
  org = await createOrganization(graph, owner, 'Audited Inc');
});
afterAll(() => graph?.stop());

interface AuditEventView {
  id: string;
  action: string;
  actor: { type: string; id: string | null; user: { id: string } | null };
  target: { type: string; id: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ipAddress: string | null;
  requestId: string | null;
  occurredAt: string;
}

const AUDIT = `query($id: ID!, $first: Int, $after: String, $filter: AuditEventFilter) {
  organization(id: $id) {
    auditEvents(first: $first, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id action actor { type id user { id } } target { type id } before after ipAddress requestId occurredAt }
    }
  }
}`;

async function auditEvents(variables: Record<string, unknown> = {}, user = owner) {
  const data = expectOk(
    await graph.request<{ organization: { auditEvents: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: AuditEventView[] } } }>(
      AUDIT,
      { id: org.id, ...variables },
      user.token,
    ),
  );
  return data.organization.auditEvents;
}

describe('the audit log', () => {
  it('records the creation of the organization, by whom, from where and in which request', async () => {
    const { nodes } = await auditEvents({ filter: { action: 'organization.created' } });
    expect(nodes).toHaveLength(1);
    const [event] = nodes;
    expect(event).toMatchObject({
      action: 'organization.created',
      actor: { type: 'USER', id: owner.id, user: { id: owner.id } },
      target: { type: 'organization', id: org.id },
      before: null,
      after: { name: 'Audited Inc', slug: org.slug },
    });
    expect(event.ipAddress).toMatch(/127\.0\.0\.1|::1/);
    expect(event.requestId).toBeTruthy();
    expect(event.id).toMatch(/^aud_/);
  });

  it('lists events newest first, in pages, and narrows them by action, actor and time', async () => {
    const before = new Date().toISOString();
    const projects = [];
    for (const name of ['Alpha', 'Beta', 'Gamma']) projects.push(await createProject(graph, owner, org.id, name));
    const all = await auditEvents();
    expect(all.nodes.map((e) => e.action)).toEqual(['project.created', 'project.created', 'project.created', 'organization.created']);
    expect(all.nodes.slice(0, 3).map((e) => e.target.id)).toEqual(projects.map((p) => p.id).reverse());

    const first = await auditEvents({ first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await auditEvents({ first: 2, after: first.pageInfo.endCursor });
    expect([...first.nodes, ...second.nodes].map((e) => e.id)).toEqual(all.nodes.map((e) => e.id));

    const created = await auditEvents({ filter: { action: 'project.created' } });
    expect(created.totalCount).toBe(3);
    expect((await auditEvents({ filter: { actorId: owner.id } })).totalCount).toBe(4);
    expect((await auditEvents({ filter: { actorId: 'usr_01h455vb4pex5vsknk084sn02q' } })).totalCount).toBe(0);
    expect((await auditEvents({ filter: { from: before } })).nodes.map((e) => e.action)).toEqual(['project.created', 'project.created', 'project.created']);
    expect((await auditEvents({ filter: { to: before } })).nodes.map((e) => e.action)).toEqual(['organization.created']);
  });

  it('refuses a period that ends before it starts, naming the field', async () => {
    const response = await graph.request(AUDIT, { id: org.id, filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } }, owner.token);
    expectError(response, 'BAD_USER_INPUT', 'to');
  });

  it('is for owners and admins only', async () => {
    const member = await signUp(graph, 'Member');
    await addMember(graph, org.id, member, 'MEMBER');
    const response = await graph.request(AUDIT, { id: org.id }, member.token);
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const admin = await signUp(graph, 'Admin');
    await addMember(graph, org.id, admin, 'ADMIN');
    expect((await auditEvents({}, admin)).totalCount).toBeGreaterThan(0);
  });

  it('cannot be changed or deleted, not even by the service that owns the table', async () => {
    const db = graph.subgraphs.organizations.db;
    await expect(db.query(`UPDATE audit_events SET action = 'forged' WHERE organization_id = $1`, [org.id])).rejects.toThrow(/cannot be changed or deleted/);
    await expect(db.query(`DELETE FROM audit_events WHERE organization_id = $1`, [org.id])).rejects.toThrow(/cannot be changed or deleted/);
    await expect(db.query(`TRUNCATE audit_events`)).rejects.toThrow(/cannot be changed or deleted/);
    expect((await auditEvents({ filter: { action: 'organization.created' } })).totalCount).toBe(1);
  });

  it('records nothing for a change that failed', async () => {
    const countBefore = (await auditEvents()).totalCount;
    const duplicate = await graph.request(
      'mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }',
      { input: { organizationId: org.id, name: 'Alpha' } },
      owner.token,
    );
    expectError(duplicate, 'CONFLICT', 'name');
    expect((await auditEvents()).totalCount).toBe(countBefore);
  });
});
