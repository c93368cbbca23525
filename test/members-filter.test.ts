// Organization.members(filter): by built-in or custom role, and by a search of names and emails that identity answers,
// paged and counted like the whole list, and never reaching another organization's users.
import {
  addMember,
  assignRole,
  createOrganization,
  createRole,
  expectError,
  expectOk,
  membershipIdOf,
  signUp,
  startGraph,
  type CreatedOrganization,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
let owner: SignedInUser;
let org: CreatedOrganization;
const people: Record<string, SignedInUser> = {};
let supportRole: string;
let outsider: SignedInUser;

const MEMBERS = `query($id: ID!, $filter: MemberFilter, $first: Int, $after: String) {
  organization(id: $id) { members(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { role user { id } } } }
}`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { role: string; user: { id: string } }[];
}

async function members(filter: Record<string, unknown> | null, page: { first?: number; after?: string | null } = {}, as = owner): Promise<Page> {
  return expectOk(await graph.request<{ organization: { members: Page } }>(MEMBERS, { id: org.id, filter, ...page }, as.token)).organization.members;
}

/** The names of the members a filter selects, in the order listed. */
async function namesOf(filter: Record<string, unknown> | null): Promise<string[]> {
  const byId = new Map(Object.entries({ ...people, owner }).map(([name, user]) => [user.id, name]));
  return (await members(filter)).nodes.map((node) => byId.get(node.user.id) ?? node.user.id);
}

beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph, 'Olivia Owner');
  org = await createOrganization(graph, owner, 'Filter Org');
  const roster: [string, string, 'ADMIN' | 'MEMBER' | 'VIEWER'][] = [
    ['ann', 'Ann Archer', 'VIEWER'],
    ['joanna', 'Joanna Banner', 'VIEWER'],
    ['bob', 'Bob Builder', 'MEMBER'],
    ['fifty', 'Fifty%Off', 'VIEWER'],
    ['under', 'Under_Score', 'ADMIN'],
    ['carl', 'Carl Support', 'VIEWER'],
    ['dina', 'Dina Support', 'VIEWER'],
  ];
  for (const [key, name, role] of roster) {
    people[key] = await signUp(graph, name);
    await addMember(graph, org.id, people[key], role);
  }
  supportRole = await createRole(graph, owner, org.id, ['organization:read', 'members:read'], 'support');
  for (const key of ['carl', 'dina']) await assignRole(graph, owner, await membershipIdOf(graph, owner, org.id, people[key].id), supportRole);
  // Another organization's users, one named like a member here.
  outsider = await signUp(graph, 'Ann Outsider');
  const other = await createOrganization(graph, outsider, 'Elsewhere');
  await addMember(graph, other.id, await signUp(graph, 'Annabel Elsewhere'), 'VIEWER');
});
afterAll(() => graph?.stop());

describe('by role', () => {
  it('a built-in role, by enum or by role ID; CUSTOM matches every custom role', async () => {
    expect(await namesOf({ role: 'VIEWER' })).toEqual(['ann', 'joanna', 'fifty']);
    expect(await namesOf({ roleId: 'role_viewer' })).toEqual(['ann', 'joanna', 'fifty']);
    expect(await namesOf({ role: 'OWNER' })).toEqual(['owner']);
    expect(await namesOf({ role: 'CUSTOM' })).toEqual(['carl', 'dina']);
  });

  it('a custom role by its ID; a role of no organization here lists nobody', async () => {
    expect(await namesOf({ roleId: supportRole })).toEqual(['carl', 'dina']);
    expect(await members({ roleId: 'role_01h455vb4pex5vsknk084sn02q' })).toMatchObject({ totalCount: 0, nodes: [] });
    expect(await members({ role: 'MEMBER', roleId: 'role_viewer' })).toMatchObject({ totalCount: 0, nodes: [] });
  });
});

describe('by search', () => {
  it('matches names, ignoring case, anywhere in them, trimmed', async () => {
    expect(await namesOf({ search: 'ann' })).toEqual(['ann', 'joanna']);
    expect(await namesOf({ search: '  BUILDER ' })).toEqual(['bob']);
    expect(await namesOf({ search: 'support', role: 'CUSTOM' })).toEqual(['carl', 'dina']);
  });

  it('matches emails', async () => {
    const local = people.bob.email.split('@')[0];
    expect(await namesOf({ search: local.toUpperCase() })).toEqual(['bob']);
  });

  it('takes % and _ literally', async () => {
    expect(await namesOf({ search: '%' })).toEqual(['fifty']);
    expect(await namesOf({ search: '_' })).toEqual(['under']);
    expect(await namesOf({ search: 'y%o' })).toEqual(['fifty']);
  });

  it('lists everyone for an empty search, and refuses one over 100 characters', async () => {
    expect(await namesOf({ search: '   ' })).toHaveLength(8);
    const refused = await graph.request(MEMBERS, { id: org.id, filter: { search: 'a'.repeat(101) } }, owner.token);
    expectError(refused, 'BAD_USER_INPUT', 'filter.search');
  });

  it("never finds another organization's users", async () => {
    const found = await members({ search: 'ann' });
    expect(found.nodes.map((node) => node.user.id)).not.toContain(outsider.id);
    expect(await members({ search: 'Elsewhere' })).toMatchObject({ totalCount: 0, nodes: [] });
    expect(await members({ search: outsider.email })).toMatchObject({ totalCount: 0, nodes: [] });
  });
});

describe('paging a filtered list', () => {
  it('pages over the matches only, and totalCount counts them', async () => {
    const first = await members({ role: 'VIEWER' }, { first: 2 });
    expect(first.totalCount).toBe(3);
    expect(first.nodes).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await members({ role: 'VIEWER' }, { first: 2, after: first.pageInfo.endCursor });
    expect(second.nodes.map((node) => node.user.id)).toEqual([people.fifty.id]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const searched = await members({ search: 'an' }, { first: 1 });
    // Ann, Joanna, Banner (Joanna), Dina… every name or email containing "an".
    expect(searched.totalCount).toBe((await namesOf({ search: 'an' })).length);
    expect(searched.nodes).toHaveLength(1);
  });

  it('is open to every member who may read members, as the whole list is', async () => {
    const viewerOnly = await members({ search: 'ann' }, {}, people.ann);
    expect(viewerOnly.nodes.map((node) => node.user.id)).toEqual([people.ann.id, people.joanna.id]);
  });
});
