// Organizations over their lifetime: renamed, re-slugged, configured and deleted, through the gateway.
import {
  addMember,
  attemptCreateOrganization,
  codes,
  createOrganization,
  createProject,
  expectError,
  expectOk,
  grantCredits,
  logIn,
  signUp,
  startGraph,
  unique,
  type CreatedOrganization,
  type GraphQLResponse,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const SETTINGS = 'settings { defaultRole invitationExpiryDays allowedEmailDomains enrollmentMode }';
const UPDATE = `mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id slug name ${SETTINGS} } }`;
const DELETE = 'mutation($input: DeleteOrganizationInput!) { deleteOrganization(input: $input) { organizationId deletedAt } }';

interface OrganizationView {
  id: string;
  slug: string;
  name: string;
  settings: { defaultRole: string; invitationExpiryDays: number; allowedEmailDomains: string[]; enrollmentMode: string };
}

const update = (user: SignedInUser, input: Record<string, unknown>) => graph.request<{ updateOrganization: OrganizationView }>(UPDATE, { input }, user.token);
const remove = (user: SignedInUser, organizationId: string, confirmSlug: string) =>
  graph.request<{ deleteOrganization: { organizationId: string; deletedAt: string } }>(DELETE, { input: { organizationId, confirmSlug } }, user.token);
const bySlug = (user: SignedInUser, slug: string) =>
  graph.request<{ organization: OrganizationView | null }>(`query($slug: String!) { organization(slug: $slug) { id slug name ${SETTINGS} } }`, { slug }, user.token);
const byId = (user: SignedInUser, id: string) =>
  graph.request<{ organization: OrganizationView | null }>(`query($id: ID!) { organization(id: $id) { id slug name ${SETTINGS} } }`, { id }, user.token);

/** Moves every slug the organization gave up back in time, as if `days` had passed since. */
async function ageReleasedSlugs(organizationId: string, days: number): Promise<void> {
  await graph.subgraphs.organizations.db.query(`UPDATE organization_slugs SET released_at = released_at - make_interval(days => $2) WHERE organization_id = $1 AND released_at IS NOT NULL`, [
    organizationId,
    days,
  ]);
}

async function auditActions(organizationId: string): Promise<{ action: string; before: unknown; after: unknown }[]> {
  return graph.subgraphs.organizations.db.query('SELECT action, before, after FROM audit_events WHERE organization_id = $1 ORDER BY id', [organizationId]);
}

async function ownerWithOrganization(name = 'Lifecycle Inc'): Promise<{ owner: SignedInUser; org: CreatedOrganization }> {
  const owner = await signUp(graph, 'Owner');
  return { owner, org: await createOrganization(graph, owner, name) };
}

describe('updating an organization', () => {
  it('starts with the default settings', async () => {
    const { owner, org } = await ownerWithOrganization();
    expect(expectOk(await byId(owner, org.id)).organization!.settings).toEqual({ defaultRole: 'MEMBER', invitationExpiryDays: 7, allowedEmailDomains: [], enrollmentMode: 'MANUAL' });
  });

  it('changes the name, slug and settings, merges settings, and records one audit event of what changed', async () => {
    const { owner, org } = await ownerWithOrganization('Before Name');
    const slug = unique('renamed');
    const changed = expectOk(
      await update(owner, { organizationId: org.id, name: 'After Name', slug, settings: { invitationExpiryDays: 14, allowedEmailDomains: ['Example.COM', 'corp.example'] } }),
    ).updateOrganization;
    expect(changed).toEqual({
      id: org.id,
      slug,
      name: 'After Name',
      settings: { defaultRole: 'MEMBER', invitationExpiryDays: 14, allowedEmailDomains: ['example.com', 'corp.example'], enrollmentMode: 'MANUAL' },
    });
    const again = expectOk(await update(owner, { organizationId: org.id, settings: { defaultRole: 'VIEWER', enrollmentMode: 'AUTOMATIC_SUGGESTION' } })).updateOrganization;
    expect(again.settings).toEqual({ defaultRole: 'VIEWER', invitationExpiryDays: 14, allowedEmailDomains: ['example.com', 'corp.example'], enrollmentMode: 'AUTOMATIC_SUGGESTION' });
    expect(expectOk(await byId(owner, org.id)).organization).toEqual(again);

    const events = (await auditActions(org.id)).filter((e) => e.action === 'organization.updated');
    expect(events).toEqual([
      {
        action: 'organization.updated',
        before: { name: 'Before Name', slug: org.slug, settings: { invitationExpiryDays: 7, allowedEmailDomains: [] } },
        after: { name: 'After Name', slug, settings: { invitationExpiryDays: 14, allowedEmailDomains: ['example.com', 'corp.example'] } },
      },
      { action: 'organization.updated', before: { settings: { defaultRole: 'MEMBER', enrollmentMode: 'MANUAL' } }, after: { settings: { defaultRole: 'VIEWER', enrollmentMode: 'AUTOMATIC_SUGGESTION' } } },
    ]);
  });

  it('records nothing when nothing changes', async () => {
    const { owner, org } = await ownerWithOrganization('Same');
    expectOk(await update(owner, { organizationId: org.id, name: 'Same', slug: org.slug, settings: { invitationExpiryDays: 7 } }));
    expect((await auditActions(org.id)).map((e) => e.action)).toEqual(['organization.created']);
  });

  it.each([
    ['a blank name', { name: '  ' }, 'name', /can't be empty/],
    ['a malformed slug', { slug: 'Bad Slug' }, 'slug', /lower-case/],
    ['an expiry of 0 days', { settings: { invitationExpiryDays: 0 } }, 'settings.invitationExpiryDays', /at least 1 day/],
    ['an expiry of 31 days', { settings: { invitationExpiryDays: 31 } }, 'settings.invitationExpiryDays', /at most 30 days/],
    ['OWNER as the default role', { settings: { defaultRole: 'OWNER' } }, 'settings.defaultRole', /OWNER/],
    ['a malformed domain', { settings: { allowedEmailDomains: ['ok.example', 'not a domain'] } }, 'settings.allowedEmailDomains.1', /domain name/],
    ['a domain listed twice', { settings: { allowedEmailDomains: ['a.example', 'A.example'] } }, 'settings.allowedEmailDomains.1', /listed twice/],
    ['51 domains', { settings: { allowedEmailDomains: Array.from({ length: 51 }, (_, i) => `d${i}.example`) } }, 'settings.allowedEmailDomains', /At most 50/],
  ])('refuses %s with BAD_USER_INPUT naming the field, and changes nothing', async (_case, change, field, message) => {
    const { owner, org } = await ownerWithOrganization('Unchanged');
    const before = expectOk(await byId(owner, org.id)).organization;
    const response = await update(owner, { organizationId: org.id, name: 'Changed', ...change });
    expect(response.data).toBeNull();
    expect(expectError(response, 'BAD_USER_INPUT', field)).toMatch(message);
    expect(expectOk(await byId(owner, org.id)).organization).toEqual(before);
    expect((await auditActions(org.id)).map((e) => e.action)).toEqual(['organization.created']);
  });

  it("refuses another organization's slug with CONFLICT on slug, and changes nothing", async () => {
    const { owner, org } = await ownerWithOrganization('Mine');
    const other = await createOrganization(graph, await signUp(graph), 'Theirs');
    const response = await update(owner, { organizationId: org.id, name: 'Changed', slug: other.slug });
    expect(expectError(response, 'CONFLICT', 'slug')).toBe(`The slug "${other.slug}" is already taken. Choose another.`);
    expect(expectOk(await byId(owner, org.id)).organization).toMatchObject({ slug: org.slug, name: 'Mine' });
  });

  it('gives a slug two organizations race for to exactly one of them', async () => {
    const [a, b] = [await ownerWithOrganization('Racer A'), await ownerWithOrganization('Racer B')];
    const slug = unique('contested');
    for (let round = 0; round < 3; round++) {
      const wanted = `${slug}-${round}`;
      const responses = await Promise.all([update(a.owner, { organizationId: a.org.id, slug: wanted }), update(b.owner, { organizationId: b.org.id, slug: wanted })]);
      const won = responses.filter((r) => !r.errors);
      const lost = responses.filter((r) => r.errors);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expectError(lost[0], 'CONFLICT', 'slug');
      expect(won[0].data!.updateOrganization.slug).toBe(wanted);
    }
  });

  it('is FORBIDDEN to a member without organization:update, and NOT_FOUND to an outsider', async () => {
    const { owner, org } = await ownerWithOrganization('Guarded');
    const member = await signUp(graph);
    await addMember(graph, org.id, member, 'MEMBER');
    expect(codes(await update(member, { organizationId: org.id, name: 'Nope' }))).toEqual(['FORBIDDEN']);
    expect(codes(await update(await signUp(graph), { organizationId: org.id, name: 'Nope' }))).toEqual(['NOT_FOUND']);
    expect(expectOk(await byId(owner, org.id)).organization!.name).toBe('Guarded');
  });
});

describe('a renamed slug', () => {
  it('keeps leading to the organization for 30 days, answering with the current slug, and then no longer', async () => {
    const { owner, org } = await ownerWithOrganization('Moving');
    const newSlug = unique('moved');
    expectOk(await update(owner, { organizationId: org.id, slug: newSlug }));

    expect(expectOk(await bySlug(owner, org.slug)).organization).toMatchObject({ id: org.id, slug: newSlug });
    expect(expectOk(await bySlug(owner, newSlug)).organization).toMatchObject({ id: org.id, slug: newSlug });

    // Nobody else may take the old slug meanwhile.
    const squatter = await signUp(graph);
    expectError(await attemptCreateOrganization(graph, squatter, { name: 'Squatter', slug: org.slug }), 'CONFLICT', 'slug');

    await ageReleasedSlugs(org.id, 29);
    expect(expectOk(await bySlug(owner, org.slug)).organization).toMatchObject({ id: org.id });
    await ageReleasedSlugs(org.id, 2);
    const gone = await bySlug(owner, org.slug);
    expect(codes(gone)).toEqual(['NOT_FOUND']);
    expect(gone.data?.organization ?? null).toBeNull();

    // Now it is free for anyone.
    const taken = expectOk(await attemptCreateOrganization(graph, squatter, { name: 'New holder', slug: org.slug })).createOrganization;
    expect(expectOk(await bySlug(squatter, org.slug)).organization!.id).toBe(taken.id);
    expect(codes(await bySlug(owner, org.slug))).toEqual(['NOT_FOUND']);
  });

  it('can be taken back by its own organization', async () => {
    const { owner, org } = await ownerWithOrganization('Indecisive');
    const other = unique('other');
    expectOk(await update(owner, { organizationId: org.id, slug: other }));
    expect(expectOk(await update(owner, { organizationId: org.id, slug: org.slug })).updateOrganization.slug).toBe(org.slug);
    expect(expectOk(await bySlug(owner, other)).organization!.slug).toBe(org.slug);
    expect(expectOk(await bySlug(owner, org.slug)).organization!.id).toBe(org.id);
  });
});

describe('deleting an organization', () => {
  async function deletedOrganizationSetup() {
    const { owner, org } = await ownerWithOrganization('Doomed');
    const project = await createProject(graph, owner, org.id, 'Doomed project');
    await grantCredits(graph, org.id, 500);
    const admin = await signUp(graph, 'Admin');
    await addMember(graph, org.id, admin, 'ADMIN');
    const kept = await createOrganization(graph, owner, 'Kept');
    return { owner, org, project, admin, kept };
  }

  it('needs the current slug typed again: BAD_USER_INPUT on confirmSlug otherwise, and nothing changes', async () => {
    const { owner, org } = await ownerWithOrganization('Careful');
    const response = await remove(owner, org.id, `${org.slug}-typo`);
    expect(expectError(response, 'BAD_USER_INPUT', 'confirmSlug')).toMatch(org.slug);
    expect(expectOk(await byId(owner, org.id)).organization!.id).toBe(org.id);
    expect((await auditActions(org.id)).map((e) => e.action)).toEqual(['organization.created']);
  });

  it('is for owners: an ADMIN gets FORBIDDEN, an outsider NOT_FOUND', async () => {
    const { org, admin, owner } = await deletedOrganizationSetup();
    expect(codes(await remove(admin, org.id, org.slug))).toEqual(['FORBIDDEN']);
    expect(codes(await remove(await signUp(graph), org.id, org.slug))).toEqual(['NOT_FOUND']);
    expect(expectOk(await byId(owner, org.id)).organization!.id).toBe(org.id);
  });

  it('makes it, its projects, environments and billing fields NOT_FOUND for every member and session, keeping billing history', async () => {
    const { owner, org, project, admin, kept } = await deletedOrganizationSetup();
    const ownerElsewhere = await logIn(graph, owner);
    await graph.request('mutation($input: SetActiveOrganizationInput!) { setActiveOrganization(input: $input) { id } }', { input: { organizationId: org.id } }, admin.token);

    const deleted = expectOk(await remove(owner, org.id, org.slug)).deleteOrganization;
    expect(deleted.organizationId).toBe(org.id);

    const period = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };
    for (const user of [owner, ownerElsewhere, admin]) {
      const attempts: GraphQLResponse[] = [
        await byId(user, org.id),
        await bySlug(user, org.slug),
        await graph.request('query($id: ID!) { organization(id: $id) { creditBalance { available } } }', { id: org.id }, user.token),
        await graph.request('query($id: ID!) { project(id: $id) { id name } }', { id: project.id }, user.token),
        await graph.request('query($id: ID!, $from: DateTime!, $to: DateTime!) { project(id: $id) { creditUsage(from: $from, to: $to) { total } } }', { id: project.id, ...period }, user.token),
        await graph.request('query($id: ID!) { environment(id: $id) { id mode } }', { id: project.environments[0].id }, user.token),
        await graph.request('mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }', { input: { organizationId: org.id, name: 'After' } }, user.token),
        await update(user, { organizationId: org.id, name: 'Revived' }),
        await remove(user, org.id, org.slug),
      ];
      for (const response of attempts) expect(codes(response)).toEqual(['NOT_FOUND']);
    }

    const memberships = await graph.request<{ viewer: { memberships: { totalCount: number; nodes: { organization: { id: string } }[] }; activeOrganization: { id: string } | null } }>(
      '{ viewer { memberships(first: 100) { totalCount nodes { organization { id } } } activeOrganization { id } } }',
      {},
      owner.token,
    );
    expect(expectOk(memberships).viewer).toEqual({ memberships: { totalCount: 1, nodes: [{ organization: { id: kept.id } }] }, activeOrganization: { id: kept.id } });
    const adminView = expectOk(await graph.request<{ viewer: { memberships: { totalCount: number }; activeOrganization: unknown } }>('{ viewer { memberships { totalCount } activeOrganization { id } } }', {}, admin.token)).viewer;
    expect(adminView).toEqual({ memberships: { totalCount: 0 }, activeOrganization: null });

    const [{ count }] = await graph.subgraphs.billing.db.query('SELECT count(*)::int AS count FROM credit_grants WHERE organization_id = $1', [org.id]);
    expect(count).toBe(1);
    expect((await auditActions(org.id)).at(-1)).toEqual({ action: 'organization.deleted', before: { name: 'Doomed', slug: org.slug }, after: null });
  });

  it('keeps its slug reserved for 30 days', async () => {
    const { owner, org } = await ownerWithOrganization('Short-lived');
    expectOk(await remove(owner, org.id, org.slug));
    const newcomer = await signUp(graph);
    expectError(await attemptCreateOrganization(graph, newcomer, { name: 'Newcomer', slug: org.slug }), 'CONFLICT', 'slug');
    await ageReleasedSlugs(org.id, 31);
    expect(expectOk(await attemptCreateOrganization(graph, newcomer, { name: 'Newcomer', slug: org.slug })).createOrganization.slug).toBe(org.slug);
  });

});
