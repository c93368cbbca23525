// Custom roles: named sets of permissions an organization defines, within a quota, that nobody can use to grant what
// they lack, and that every service (organizations, billing, identity) honours on the holder's next request.
import { newId } from '@orgapi/shared';
import {
  addMember,
  assignRole,
  attemptAssignRole,
  attemptCreateRole,
  createOrganization,
  createRole,
  expectError,
  expectOk,
  grantCredits,
  membershipIdOf,
  signUp,
  startGraph,
  unique,
  type CreatedOrganization,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

// MAX_CUSTOM_ROLES_PER_ORGANIZATION's default, as Clerk and WorkOS allow.
const LIMIT = 20;
const UPDATE_ROLE = 'mutation($input: UpdateRoleInput!) { updateRole(input: $input) { id key name description permissions updatedAt } }';
const DELETE_ROLE = 'mutation($input: DeleteRoleInput!) { deleteRole(input: $input) { roleId organizationId } }';
const UPDATE_MEMBER_ROLE = 'mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id role permissions customRole { id key } } }';
const ROLES = 'query($id: ID!) { organization(id: $id) { roles { id key name description permissions builtIn builtInRole memberCount createdAt } } }';

interface Listed {
  id: string;
  key: string;
  permissions: string[];
  builtIn: boolean;
  builtInRole: string | null;
  memberCount: number;
  createdAt: string | null;
}

async function rolesOf(org: CreatedOrganization, as: SignedInUser): Promise<Listed[]> {
  return expectOk(await graph.request<{ organization: { roles: Listed[] } }>(ROLES, { id: org.id }, as.token)).organization.roles;
}

/** An organization with an owner and, per name, a member holding that built-in role. */
async function organizationWith(roles: Record<string, 'ADMIN' | 'BILLING' | 'MEMBER' | 'VIEWER'> = {}) {
  const owner = await signUp(graph, 'Owner');
  const org = await createOrganization(graph, owner);
  const people: Record<string, SignedInUser> = {};
  const memberships: Record<string, string> = {};
  for (const [name, role] of Object.entries(roles)) {
    people[name] = await signUp(graph, name);
    await addMember(graph, org.id, people[name], role);
    memberships[name] = await membershipIdOf(graph, owner, org.id, people[name].id);
  }
  return { owner, org, people, memberships };
}

/** Gives `user` (a member) a new custom role with these permissions, as the owner; the role's ID. */
async function giveCustomRole(org: CreatedOrganization, owner: SignedInUser, membershipId: string, permissions: string[]): Promise<string> {
  const roleId = await createRole(graph, owner, org.id, permissions);
  await assignRole(graph, owner, membershipId, roleId);
  return roleId;
}

async function auditOf(org: CreatedOrganization, owner: SignedInUser, action: string) {
  const data = expectOk(
    await graph.request<{ organization: { auditEvents: { nodes: { target: { type: string; id: string }; before: unknown; after: unknown }[] } } }>(
      'query($id: ID!, $action: String!) { organization(id: $id) { auditEvents(filter: { action: $action }) { nodes { target { type id } before after } } } }',
      { id: org.id, action },
      owner.token,
    ),
  );
  return data.organization.auditEvents.nodes;
}

describe('listing roles', () => {
  it('shows the five built-in roles, then custom roles oldest first, with their permissions and how many hold each', async () => {
    const { owner, org, memberships } = await organizationWith({ vera: 'VIEWER', sam: 'VIEWER' });
    const support = await giveCustomRole(org, owner, memberships.vera, ['projects:read', 'organization:read', 'members:read']);
    const auditor = await createRole(graph, owner, org.id, ['audit:read']);
    const roles = await rolesOf(org, owner);
    expect(roles.map((role) => role.id)).toEqual(['role_owner', 'role_admin', 'role_billing', 'role_member', 'role_viewer', support, auditor]);
    expect(roles[0]).toMatchObject({ key: 'owner', builtIn: true, builtInRole: 'OWNER', memberCount: 1, createdAt: null });
    expect(roles.find((role) => role.id === 'role_viewer')?.memberCount).toBe(1);
    // Stored in any order, shown in the matrix's.
    expect(roles[5]).toMatchObject({ builtIn: false, builtInRole: null, permissions: ['organization:read', 'members:read', 'projects:read'], memberCount: 1 });
    expect(roles[5].createdAt).toEqual(expect.any(String));
    expect(roles[6].memberCount).toBe(0);
  });

  it('offers the permission catalogue a role editor needs, owner-only permissions marked', async () => {
    const user = await signUp(graph, 'Editor');
    const { permissions } = expectOk(await graph.request<{ permissions: { key: string; description: string; ownerOnly: boolean }[] }>('{ permissions { key description ownerOnly } }', {}, user.token));
    expect(permissions.map((p) => p.key)).toContain('roles:manage');
    expect(permissions.filter((p) => p.ownerOnly).map((p) => p.key)).toEqual(['organization:delete', 'owners:manage']);
    for (const permission of permissions) expect(permission.description).toMatch(/^[A-Z]/);
  });
});

describe('creating roles', () => {
  it('records role.created, and refuses unknown permissions, owner-only ones, bad and taken keys', async () => {
    const { owner, org } = await organizationWith();
    const created = expectOk(
      await attemptCreateRole(graph, owner, { organizationId: org.id, key: 'support', name: 'Support', description: 'Helps customers', permissions: ['members:read', 'organization:read'] }),
    ).createRole;
    expect(created).toMatchObject({ key: 'support', permissions: ['organization:read', 'members:read'] });
    expect(await auditOf(org, owner, 'role.created')).toEqual([
      { target: { type: 'role', id: created.id }, before: null, after: { key: 'support', name: 'Support', description: 'Helps customers', permissions: ['organization:read', 'members:read'] } },
    ]);
    const attempt = (input: Partial<{ key: string; permissions: string[] }>) =>
      attemptCreateRole(graph, owner, { organizationId: org.id, key: unique('r'), name: 'Some role', permissions: ['members:read'], ...input });
    expect(expectError(await attempt({ permissions: ['members:read', 'billing:steal', 'everything'] }), 'BAD_USER_INPUT', 'permissions')).toMatch(/`billing:steal`, `everything`/);
    expect(expectError(await attempt({ permissions: ['owners:manage'] }), 'BAD_USER_INPUT', 'permissions')).toMatch(/owners:manage.*OWNER role/);
    expectError(await attempt({ permissions: ['organization:delete'] }), 'BAD_USER_INPUT', 'permissions');
    expectError(await attempt({ key: 'Support Team' }), 'BAD_USER_INPUT', 'key');
    expect(expectError(await attempt({ key: 'support' }), 'CONFLICT', 'key')).toMatch(/already has a role with the key `support`/);
    expect(expectError(await attempt({ key: 'admin' }), 'CONFLICT', 'key')).toMatch(/built-in role/);
    expect((await rolesOf(org, owner)).filter((role) => !role.builtIn)).toHaveLength(1);
  });

  it('refuses the 21st custom role with QUOTA_EXCEEDED', async () => {
    const { owner, org } = await organizationWith();
    for (let i = 0; i < LIMIT; i++) await createRole(graph, owner, org.id, ['members:read']);
    const refused = await attemptCreateRole(graph, owner, { organizationId: org.id, key: unique('extra'), name: 'One too many', permissions: ['members:read'] });
    expect(expectError(refused, 'QUOTA_EXCEEDED')).toMatch(/20 custom roles.*Delete one/);
    expect(refused.errors![0].extensions?.limit).toBe(LIMIT);
  });

  it('of two creations at 19 roles racing for the last place, exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const { owner, org } = await organizationWith();
      for (let i = 0; i < LIMIT - 1; i++) await createRole(graph, owner, org.id, ['members:read']);
      const answers = await Promise.all(
        [1, 2].map(() => attemptCreateRole(graph, owner, { organizationId: org.id, key: unique('racer'), name: 'Racer', permissions: ['members:read'] })),
      );
      expect(answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['OK', 'QUOTA_EXCEEDED']);
      expect((await rolesOf(org, owner)).filter((role) => !role.builtIn)).toHaveLength(LIMIT);
    }
  });
});

describe('changing and deleting roles', () => {
  it('built-in roles can be neither changed nor deleted', async () => {
    const { owner } = await organizationWith();
    expect(expectError(await graph.request(UPDATE_ROLE, { input: { roleId: 'role_admin', name: 'Boss' } }, owner.token), 'BAD_USER_INPUT', 'roleId')).toMatch(
      /built-in ADMIN role can't be changed/,
    );
    expectError(await graph.request(DELETE_ROLE, { input: { roleId: 'role_owner' } }, owner.token), 'BAD_USER_INPUT', 'roleId');
  });

  it('updateRole records what changed, permissions before and after', async () => {
    const { owner, org } = await organizationWith();
    const roleId = await createRole(graph, owner, org.id, ['members:read', 'projects:read'], 'ops');
    const updated = expectOk(
      await graph.request<{ updateRole: { name: string; description: string | null; permissions: string[] } }>(
        UPDATE_ROLE,
        { input: { roleId, name: 'Operations', description: 'Runs things', permissions: ['projects:read', 'environments:write'] } },
        owner.token,
      ),
    ).updateRole;
    expect(updated).toMatchObject({ name: 'Operations', description: 'Runs things', permissions: ['projects:read', 'environments:write'] });
    expect(await auditOf(org, owner, 'role.updated')).toEqual([
      {
        target: { type: 'role', id: roleId },
        before: { key: 'ops', name: 'Role ops', description: null, permissions: ['members:read', 'projects:read'] },
        after: { key: 'ops', name: 'Operations', description: 'Runs things', permissions: ['projects:read', 'environments:write'] },
      },
    ]);
  });

  it('a role members hold cannot be deleted until they are moved; then it goes, with role.deleted', async () => {
    const { owner, org, memberships } = await organizationWith({ ann: 'VIEWER', bob: 'VIEWER' });
    const roleId = await createRole(graph, owner, org.id, ['members:read'], 'helpers');
    await assignRole(graph, owner, memberships.ann, roleId);
    await assignRole(graph, owner, memberships.bob, roleId);
    expect(expectError(await graph.request(DELETE_ROLE, { input: { roleId } }, owner.token), 'CONFLICT')).toMatch(/`helpers` is held by 2 members\. Give each of them another role/);
    await assignRole(graph, owner, memberships.ann, 'role_viewer');
    expect(expectError(await graph.request(DELETE_ROLE, { input: { roleId } }, owner.token), 'CONFLICT')).toMatch(/held by 1 member\./);
    await assignRole(graph, owner, memberships.bob, 'role_member');
    expect(expectOk(await graph.request(DELETE_ROLE, { input: { roleId } }, owner.token))).toEqual({ deleteRole: { roleId, organizationId: org.id } });
    expect((await rolesOf(org, owner)).map((role) => role.id)).not.toContain(roleId);
    expect(await auditOf(org, owner, 'role.deleted')).toEqual([{ target: { type: 'role', id: roleId }, before: expect.objectContaining({ key: 'helpers', permissions: ['members:read'] }), after: null }]);
  });

  it("another organization's role answers exactly as a made-up one", async () => {
    const a = await organizationWith({ ann: 'VIEWER' });
    const b = await organizationWith();
    const theirs = await createRole(graph, b.owner, b.org.id, ['members:read']);
    const made = newId('role');
    for (const [document, input] of [
      [UPDATE_ROLE, (roleId: string) => ({ roleId, name: 'Mine now' })],
      [DELETE_ROLE, (roleId: string) => ({ roleId })],
      [UPDATE_MEMBER_ROLE, (roleId: string) => ({ membershipId: a.memberships.ann, roleId })],
    ] as const) {
      const forTheirs = await graph.request(document, { input: input(theirs) }, a.owner.token);
      expectError(forTheirs, 'NOT_FOUND');
      expect(forTheirs).toEqual(await graph.request(document, { input: input(made) }, a.owner.token));
    }
    expect((await rolesOf(b.org, b.owner)).find((role) => role.id === theirs)).toMatchObject({ name: expect.stringMatching(/^Role /), memberCount: 0 });
  });
});

describe('members with custom roles', () => {
  it('show CUSTOM, the custom role and its permissions, and the change is audited with the role', async () => {
    const { owner, org, people, memberships } = await organizationWith({ cleo: 'VIEWER' });
    const roleId = await createRole(graph, owner, org.id, ['organization:read', 'members:read', 'projects:read', 'audit:read'], 'auditor');
    const assigned = expectOk(await attemptAssignRole(graph, owner, memberships.cleo, roleId)).updateMemberRole;
    expect(assigned).toMatchObject({ role: 'CUSTOM', customRole: { id: roleId }, permissions: ['organization:read', 'members:read', 'projects:read', 'audit:read'] });
    const mine = expectOk(
      await graph.request<{ organization: { viewerRole: string; viewerPermissions: string[] } }>('query($id: ID!) { organization(id: $id) { viewerRole viewerPermissions } }', { id: org.id }, people.cleo.token),
    );
    expect(mine.organization).toEqual({ viewerRole: 'CUSTOM', viewerPermissions: ['organization:read', 'members:read', 'projects:read', 'audit:read'] });
    expect(await auditOf(org, owner, 'member.role_updated')).toEqual([
      { target: { type: 'membership', id: memberships.cleo }, before: { userId: people.cleo.id, role: 'VIEWER' }, after: { userId: people.cleo.id, role: 'CUSTOM', customRole: { id: roleId, key: 'auditor' } } },
    ]);
    // The custom role's audit:read works in organizations' own checks.
    expect(await auditOf(org, people.cleo, 'member.role_updated')).toHaveLength(1);
  });

  it('updateMemberRole takes exactly one of role or roleId, and role CUSTOM asks for roleId', async () => {
    const { owner, memberships } = await organizationWith({ dan: 'VIEWER' });
    const membershipId = memberships.dan;
    expect(expectError(await graph.request(UPDATE_MEMBER_ROLE, { input: { membershipId, role: 'CUSTOM' } }, owner.token), 'BAD_USER_INPUT', 'role')).toMatch(/roleId/);
    expectError(await graph.request(UPDATE_MEMBER_ROLE, { input: { membershipId } }, owner.token), 'BAD_USER_INPUT', 'role');
    expectError(await graph.request(UPDATE_MEMBER_ROLE, { input: { membershipId, role: 'ADMIN', roleId: 'role_admin' } }, owner.token), 'BAD_USER_INPUT', 'roleId');
    // A built-in role by its ID.
    expect(expectOk(await attemptAssignRole(graph, owner, membershipId, 'role_member')).updateMemberRole).toMatchObject({ role: 'MEMBER', customRole: null });
  });
});

describe('nobody grants a permission they lack', () => {
  it('an admin cannot create a role with owners:manage', async () => {
    const { org, people } = await organizationWith({ ada: 'ADMIN' });
    const refused = await attemptCreateRole(graph, people.ada, { organizationId: org.id, key: 'co-owner', name: 'Co-owner', permissions: ['owners:manage'] });
    expectError(refused, 'BAD_USER_INPUT', 'permissions');
  });

  it('a custom role holder with roles:manage but not billing:manage can neither create, change, delete nor give a role holding it', async () => {
    const { owner, org, people, memberships } = await organizationWith({ rita: 'VIEWER', tom: 'VIEWER' });
    await giveCustomRole(org, owner, memberships.rita, ['organization:read', 'members:read', 'members:manage', 'roles:manage', 'billing:read']);
    const billingRole = await createRole(graph, owner, org.id, ['billing:read', 'billing:manage'], 'payer');
    const before = await rolesOf(org, owner);

    const created = await attemptCreateRole(graph, people.rita, { organizationId: org.id, key: 'treasurer', name: 'Treasurer', permissions: ['billing:manage'] });
    expect(expectError(created, 'FORBIDDEN')).toMatch(/billing:manage/);
    expectError(await graph.request(UPDATE_ROLE, { input: { roleId: billingRole, name: 'Renamed' } }, people.rita.token), 'FORBIDDEN');
    expectError(await graph.request(DELETE_ROLE, { input: { roleId: billingRole } }, people.rita.token), 'FORBIDDEN');
    expect(expectError(await attemptAssignRole(graph, people.rita, memberships.tom, billingRole), 'FORBIDDEN')).toMatch(/payer.*billing:manage/);
    expectError(await graph.request(UPDATE_MEMBER_ROLE, { input: { membershipId: memberships.tom, role: 'BILLING' } }, people.rita.token), 'FORBIDDEN');
    // Adding a permission they lack to a role they may otherwise change is refused too.
    const readers = await createRole(graph, owner, org.id, ['members:read'], 'readers');
    expectError(await graph.request(UPDATE_ROLE, { input: { roleId: readers, permissions: ['members:read', 'billing:manage'] } }, people.rita.token), 'FORBIDDEN');
    expect(await rolesOf(org, owner)).toEqual([...before, expect.objectContaining({ id: readers })]);

    // What they hold, they can hand out.
    const helpers = expectOk(await attemptCreateRole(graph, people.rita, { organizationId: org.id, key: 'helpers', name: 'Helpers', permissions: ['members:read', 'billing:read'] })).createRole;
    expect(expectOk(await attemptAssignRole(graph, people.rita, memberships.tom, helpers.id)).updateMemberRole.role).toBe('CUSTOM');
  });

  it('a custom role can never reach owners: only owners make or change them', async () => {
    const { owner, org, people, memberships } = await organizationWith({ max: 'VIEWER' });
    await giveCustomRole(org, owner, memberships.max, ['organization:read', 'members:read', 'members:manage']);
    const ownMembership = await membershipIdOf(graph, owner, org.id, owner.id);
    expectError(await graph.request(UPDATE_MEMBER_ROLE, { input: { membershipId: ownMembership, role: 'VIEWER' } }, people.max.token), 'FORBIDDEN');
  });
});

describe('every service honours custom roles', () => {
  const BALANCE = 'query($id: ID!) { organization(id: $id) { creditBalance { available } creditUsage(from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z") { total } } }';

  it('billing: billing:read shows the balance and usage, its removal refuses them on the next request', async () => {
    const { owner, org, people, memberships } = await organizationWith({ fay: 'VIEWER', gus: 'VIEWER' });
    await grantCredits(graph, org.id, 750);
    const finance = await giveCustomRole(org, owner, memberships.fay, ['organization:read', 'billing:read']);
    await giveCustomRole(org, owner, memberships.gus, ['organization:read', 'members:read']);
    expect(expectOk(await graph.request(BALANCE, { id: org.id }, people.fay.token))).toEqual({ organization: { creditBalance: { available: 750 }, creditUsage: { total: 0 } } });
    const without = await graph.request(BALANCE, { id: org.id }, people.gus.token);
    expect(without.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);

    expectOk(await graph.request(UPDATE_ROLE, { input: { roleId: finance, permissions: ['organization:read'] } }, owner.token));
    const revoked = await graph.request<{ organization: { creditBalance: unknown } }>(BALANCE, { id: org.id }, people.fay.token);
    expect(revoked.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(revoked.data?.organization.creditBalance).toBeNull();
  });

  it("identity: members:read shows fellow members' accounts; without it nothing of them shows", async () => {
    const { owner, org, people, memberships } = await organizationWith({ hal: 'VIEWER', ivy: 'VIEWER' });
    await giveCustomRole(org, owner, memberships.hal, ['organization:read', 'members:read']);
    await giveCustomRole(org, owner, memberships.ivy, ['organization:read', 'projects:read']);
    const MEMBERS = 'query($id: ID!) { organization(id: $id) { members { nodes { user { id email name } } } } }';
    const seen = expectOk(await graph.request<{ organization: { members: { nodes: { user: { id: string; email: string } }[] } } }>(MEMBERS, { id: org.id }, people.hal.token));
    expect(seen.organization.members.nodes.find((node) => node.user.id === owner.id)?.user.email).toBe(owner.email);
    const refused = await graph.request(MEMBERS, { id: org.id }, people.ivy.token);
    expectError(refused, 'FORBIDDEN');
    expect(JSON.stringify(refused)).not.toContain(owner.email);
  });
});
