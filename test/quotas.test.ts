// Quotas: how many projects an organization, organizations a user and members (pending invitations included) an
// organization may have, held even when creations race for the last place. Small quotas here; the defaults are in
// subgraphs/organizations/src/quotas.ts.
import { ErrorCode } from '@orgapi/shared';
import { MembershipService } from '@orgapi/organizations';
import {
  addMember,
  attemptCreateOrganization,
  attemptCreateProject,
  codes,
  createOrganization,
  createProject,
  expectError,
  signUp,
  startGraph,
  unique,
  type TestGraph,
} from './harness';

const QUOTAS = { MAX_PROJECTS_PER_ORGANIZATION: 3, MAX_ORGANIZATIONS_PER_USER: 3, MAX_MEMBERS_PER_ORGANIZATION: 3 };

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph({ serviceEnv: { organizations: Object.fromEntries(Object.entries(QUOTAS).map(([name, value]) => [name, String(value)])) } });
});
afterAll(() => graph?.stop());

describe('projects per organization', () => {
  it('refuses the project past the quota with QUOTA_EXCEEDED and the limit', async () => {
    const owner = await signUp(graph);
    const org = await createOrganization(graph, owner);
    for (let i = 0; i < QUOTAS.MAX_PROJECTS_PER_ORGANIZATION; i++) await createProject(graph, owner, org.id);
    const refused = await attemptCreateProject(graph, owner, { organizationId: org.id, name: 'One too many' });
    expect(expectError(refused, ErrorCode.QUOTA_EXCEEDED)).toMatch(/3 projects/);
    expect(refused.errors![0].extensions?.limit).toBe(QUOTAS.MAX_PROJECTS_PER_ORGANIZATION);
  });

  it('lets only one of several creations racing for the last place through', async () => {
    const owner = await signUp(graph);
    const org = await createOrganization(graph, owner);
    for (let i = 1; i < QUOTAS.MAX_PROJECTS_PER_ORGANIZATION; i++) await createProject(graph, owner, org.id);
    const racing = await Promise.all(Array.from({ length: 6 }, () => attemptCreateProject(graph, owner, { organizationId: org.id, name: unique('racer') })));
    expect(racing.filter((response) => !response.errors).length).toBe(1);
    expect(racing.filter((response) => codes(response)?.[0] === ErrorCode.QUOTA_EXCEEDED).length).toBe(5);
    const [{ count }] = await graph.subgraphs.organizations.db.query('SELECT count(*)::int AS count FROM projects WHERE organization_id = $1', [org.id]);
    expect(count).toBe(QUOTAS.MAX_PROJECTS_PER_ORGANIZATION);
  });
});

describe('organizations per user', () => {
  it('refuses the organization past the quota, even when creations race', async () => {
    const user = await signUp(graph);
    await createOrganization(graph, user);
    const racing = await Promise.all(Array.from({ length: 6 }, () => attemptCreateOrganization(graph, user, { name: 'Racing Org', slug: unique('race') })));
    expect(racing.filter((response) => !response.errors).length).toBe(QUOTAS.MAX_ORGANIZATIONS_PER_USER - 1);
    const refused = racing.filter((response) => response.errors);
    expect(refused).toHaveLength(6 - (QUOTAS.MAX_ORGANIZATIONS_PER_USER - 1));
    for (const response of refused) {
      expect(expectError(response, ErrorCode.QUOTA_EXCEEDED)).toMatch(/You belong to 3 organizations/);
      expect(response.errors![0].extensions?.limit).toBe(QUOTAS.MAX_ORGANIZATIONS_PER_USER);
    }
  });

  it('counts organizations the user joined, not only those they created', async () => {
    const user = await signUp(graph);
    for (let i = 0; i < QUOTAS.MAX_ORGANIZATIONS_PER_USER; i++) {
      const other = await signUp(graph);
      await addMember(graph, (await createOrganization(graph, other)).id, user, 'MEMBER');
    }
    expectError(await attemptCreateOrganization(graph, user, { name: 'Mine', slug: unique('mine') }), ErrorCode.QUOTA_EXCEEDED);
  });

  it('frees the place of an organization once it is deleted', async () => {
    const user = await signUp(graph);
    const owned = [];
    for (let i = 0; i < QUOTAS.MAX_ORGANIZATIONS_PER_USER; i++) owned.push(await createOrganization(graph, user));
    expectError(await attemptCreateOrganization(graph, user, { name: 'Fourth', slug: unique('fourth') }), ErrorCode.QUOTA_EXCEEDED);
    const deleted = await graph.request(
      'mutation($input: DeleteOrganizationInput!) { deleteOrganization(input: $input) { organizationId } }',
      { input: { organizationId: owned[0].id, confirmSlug: owned[0].slug } },
      user.token,
    );
    expect(deleted.errors).toBeUndefined();
    expect((await attemptCreateOrganization(graph, user, { name: 'Fourth', slug: unique('fourth') })).errors).toBeUndefined();
  });
});

describe('members per organization', () => {
  it('refuses a member past the quota, in the service every way into an organization goes through', async () => {
    const owner = await signUp(graph);
    const org = await createOrganization(graph, owner);
    for (let i = 1; i < QUOTAS.MAX_MEMBERS_PER_ORGANIZATION; i++) await addMember(graph, org.id, await signUp(graph), 'MEMBER');
    const db = graph.subgraphs.organizations.db;
    const memberships = new MembershipService(db, { projectsPerOrganization: 3, organizationsPerUser: 3, membersPerOrganization: QUOTAS.MAX_MEMBERS_PER_ORGANIZATION });
    const newcomer = await signUp(graph);
    const refusal = await db.transaction((tx) => memberships.add(tx, org.id, newcomer.id, 'MEMBER')).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ message: expect.stringMatching(/3 members/), extensions: { code: ErrorCode.QUOTA_EXCEEDED, limit: 3 } });
  });
});

describe('members and pending invitations', () => {
  it('counts pending invitations against the members quota: each may become a member', async () => {
    const owner = await signUp(graph);
    const org = await createOrganization(graph, owner);
    const invite = (email: string) =>
      graph.request('mutation($input: InviteMemberInput!) { inviteMember(input: $input) { invitation { id } } }', { input: { organizationId: org.id, email, role: 'VIEWER' } }, owner.token);
    await addMember(graph, org.id, await signUp(graph), 'MEMBER');
    expect(codes(await invite(`${unique('invitee')}@example.com`))).toBeUndefined();
    const refused = await invite(`${unique('invitee')}@example.com`);
    expect(expectError(refused, ErrorCode.QUOTA_EXCEEDED)).toMatch(/2 members and 1 pending invitation:/);
    expect(refused.errors![0].extensions?.limit).toBe(QUOTAS.MAX_MEMBERS_PER_ORGANIZATION);
  });
});
