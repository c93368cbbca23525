// Managing members: roles change and members leave or are removed, an organization always keeps an owner, and a
// removed member loses everything at once, at every service.
import { addMember, createOrganization, expectError, expectOk, grantCredits, membershipIdOf, signUp, startGraph, type CreatedOrganization, type SignedInUser, type TestGraph } from './harness';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const UPDATE_ROLE = 'mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id role user { id } } }';
const REMOVE = 'mutation($input: RemoveMemberInput!) { removeMember(input: $input) { id role } }';
const LEAVE = 'mutation($input: LeaveOrganizationInput!) { leaveOrganization(input: $input) { id } }';

async function members(org: CreatedOrganization, as: SignedInUser) {
  const data = expectOk(
    await graph.request<{ organization: { members: { nodes: { id: string; role: string; user: { id: string } }[] } } }>(
      'query($id: ID!) { organization(id: $id) { members(first: 100) { nodes { id role user { id } } } } }',
      { id: org.id },
      as.token,
    ),
  );
  return data.organization.members.nodes;
}
const membershipOf = (org: CreatedOrganization, user: SignedInUser, as: SignedInUser) => membershipIdOf(graph, as, org.id, user.id);

async function organizationWith(roles: Record<string, string>): Promise<{ org: CreatedOrganization; owner: SignedInUser; people: Record<string, SignedInUser> }> {
  const owner = await signUp(graph, 'Owner');
  const org = await createOrganization(graph, owner);
  const people: Record<string, SignedInUser> = {};
  for (const [name, role] of Object.entries(roles)) {
    people[name] = await signUp(graph, name);
    await addMember(graph, org.id, people[name], role as 'ADMIN');
  }
  return { org, owner, people };
}

describe('changing roles', () => {
  it('an admin changes a member’s role, and the audit log says who did what', async () => {
    const { org, owner, people } = await organizationWith({ admin: 'ADMIN', linus: 'MEMBER' });
    const membershipId = await membershipOf(org, people.linus, owner);
    const changed = expectOk(await graph.request<{ updateMemberRole: { role: string } }>(UPDATE_ROLE, { input: { membershipId, role: 'VIEWER' } }, people.admin.token));
    expect(changed.updateMemberRole.role).toBe('VIEWER');
    const audit = expectOk(
      await graph.request<{ organization: { auditEvents: { nodes: { actor: { id: string }; before: unknown; after: unknown }[] } } }>(
        'query($id: ID!) { organization(id: $id) { auditEvents(filter: { action: "member.role_updated" }) { nodes { actor { id } before after } } } }',
        { id: org.id },
        owner.token,
      ),
    );
    expect(audit.organization.auditEvents.nodes).toEqual([
      { actor: { id: people.admin.id }, before: { userId: people.linus.id, role: 'MEMBER' }, after: { userId: people.linus.id, role: 'VIEWER' } },
    ]);
  });

  it('only owners make, demote or remove owners', async () => {
    const { org, owner, people } = await organizationWith({ admin: 'ADMIN', linus: 'MEMBER' });
    const linus = await membershipOf(org, people.linus, owner);
    const ownerMembership = await membershipOf(org, owner, owner);
    expectError(await graph.request(UPDATE_ROLE, { input: { membershipId: linus, role: 'OWNER' } }, people.admin.token), 'FORBIDDEN');
    expectError(await graph.request(UPDATE_ROLE, { input: { membershipId: ownerMembership, role: 'ADMIN' } }, people.admin.token), 'FORBIDDEN');
    expectError(await graph.request(REMOVE, { input: { membershipId: ownerMembership } }, people.admin.token), 'FORBIDDEN');
    expectError(await graph.request(UPDATE_ROLE, { input: { membershipId: linus, role: 'ADMIN' } }, people.linus.token), 'FORBIDDEN');
    expect((await members(org, owner)).map((m) => m.role).sort()).toEqual(['ADMIN', 'MEMBER', 'OWNER']);
    expect(expectOk(await graph.request<{ updateMemberRole: { role: string } }>(UPDATE_ROLE, { input: { membershipId: linus, role: 'OWNER' } }, owner.token)).updateMemberRole.role).toBe('OWNER');
  });
});

describe('an organization always keeps an owner', () => {
  it('refuses to demote, remove or let go the last owner, and says what to do instead', async () => {
    const { org, owner } = await organizationWith({});
    const own = await membershipOf(org, owner, owner);
    for (const response of [
      await graph.request(UPDATE_ROLE, { input: { membershipId: own, role: 'ADMIN' } }, owner.token),
      await graph.request(REMOVE, { input: { membershipId: own } }, owner.token),
      await graph.request(LEAVE, { input: { organizationId: org.id } }, owner.token),
    ]) {
      expect(expectError(response, 'CONFLICT')).toMatch(/needs at least one owner.*Make another member an owner/);
    }
    expect(await members(org, owner)).toEqual([expect.objectContaining({ role: 'OWNER' })]);
  });

  it('of two owners demoting each other at the same moment, exactly one succeeds and one owner stays', async () => {
    for (let round = 0; round < 5; round++) {
      const { org, owner, people } = await organizationWith({ second: 'OWNER' });
      const [first, second] = [await membershipOf(org, owner, owner), await membershipOf(org, people.second, owner)];
      const answers = await Promise.all([
        graph.request(UPDATE_ROLE, { input: { membershipId: second, role: 'ADMIN' } }, owner.token),
        graph.request(UPDATE_ROLE, { input: { membershipId: first, role: 'ADMIN' } }, people.second.token),
      ]);
      const outcomes = answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? 'OK');
      // The loser either finds one owner left (CONFLICT) or has just stopped being an owner itself (FORBIDDEN).
      expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome !== 'OK').every((code) => code === 'CONFLICT' || code === 'FORBIDDEN')).toBe(true);
      const roles = (await graph.subgraphs.organizations.db.query(`SELECT role FROM memberships WHERE organization_id = $1 AND role = 'OWNER'`, [org.id])) as unknown[];
      expect(roles).toHaveLength(1);
    }
  });
});

describe('transferring ownership', () => {
  it('makes the member an owner and the previous owner an admin, unless told otherwise; only an owner may', async () => {
    const { org, owner, people } = await organizationWith({ admin: 'ADMIN', heir: 'MEMBER' });
    const TRANSFER = 'mutation($input: TransferOwnershipInput!) { transferOwnership(input: $input) { id role user { id } } }';
    const heir = await membershipOf(org, people.heir, owner);
    expectError(await graph.request(TRANSFER, { input: { organizationId: org.id, toMembershipId: heir } }, people.admin.token), 'FORBIDDEN');
    const moved = expectOk(await graph.request<{ transferOwnership: { role: string; user: { id: string } } }>(TRANSFER, { input: { organizationId: org.id, toMembershipId: heir } }, owner.token));
    expect(moved.transferOwnership).toMatchObject({ role: 'OWNER', user: { id: people.heir.id } });
    const roles = Object.fromEntries((await members(org, people.heir)).map((m) => [m.user.id, m.role]));
    expect(roles).toEqual({ [owner.id]: 'ADMIN', [people.admin.id]: 'ADMIN', [people.heir.id]: 'OWNER' });
    const transferred = expectOk(
      await graph.request<{ organization: { auditEvents: { totalCount: number } } }>(
        'query($id: ID!) { organization(id: $id) { auditEvents(filter: { action: "organization.ownership_transferred" }) { totalCount } } }',
        { id: org.id },
        people.heir.token,
      ),
    );
    expect(transferred.organization.auditEvents.totalCount).toBe(1);
    // The previous owner is an admin now: owners are the new owner's to manage.
    expectError(await graph.request(TRANSFER, { input: { organizationId: org.id, toMembershipId: heir } }, owner.token), 'FORBIDDEN');
  });
});

describe('removing and leaving', () => {
  it('a removed member loses the organization, its projects and its billing on their very next request, in every session', async () => {
    const { org, owner, people } = await organizationWith({ katherine: 'BILLING' });
    await grantCredits(graph, org.id, 1_000);
    const BILLING = 'query($id: ID!) { organization(id: $id) { id creditBalance { available } } }';
    expect(expectOk(await graph.request<{ organization: { creditBalance: { available: number } } }>(BILLING, { id: org.id }, people.katherine.token)).organization.creditBalance.available).toBe(1_000);
    expectOk(await graph.request(REMOVE, { input: { membershipId: await membershipOf(org, people.katherine, owner) } }, owner.token));
    const removed = expectOk(
      await graph.request<{ organization: { auditEvents: { nodes: { actor: { id: string }; before: unknown }[] } } }>(
        'query($id: ID!) { organization(id: $id) { auditEvents(filter: { action: "member.removed" }) { nodes { actor { id } before } } } }',
        { id: org.id },
        owner.token,
      ),
    );
    expect(removed.organization.auditEvents.nodes).toEqual([{ actor: { id: owner.id }, before: { userId: people.katherine.id, role: 'BILLING' } }]);
    const after = await graph.request(BILLING, { id: org.id }, people.katherine.token);
    expectError(after, 'NOT_FOUND');
    expect(after.data?.organization ?? null).toBeNull();
  });

  it('a member may leave, and is gone from the list', async () => {
    const { org, owner, people } = await organizationWith({ margaret: 'VIEWER' });
    expectOk(await graph.request(LEAVE, { input: { organizationId: org.id } }, people.margaret.token));
    expect((await members(org, owner)).map((m) => m.user.id)).toEqual([owner.id]);
    expectError(await graph.request(LEAVE, { input: { organizationId: org.id } }, people.margaret.token), 'NOT_FOUND');
    const audit = expectOk(
      await graph.request<{ organization: { auditEvents: { nodes: { actor: { id: string }; before: unknown }[] } } }>(
        'query($id: ID!) { organization(id: $id) { auditEvents(filter: { action: "member.left" }) { nodes { actor { id } before } } } }',
        { id: org.id },
        owner.token,
      ),
    );
    expect(audit.organization.auditEvents.nodes).toEqual([{ actor: { id: people.margaret.id }, before: { userId: people.margaret.id, role: 'VIEWER' } }]);
  });
});
