// Who may read what: no token, a bad token, and a signed-in outsider all get nothing of an organization.
import { startGraph, type TestGraph } from './harness/graph';
import { createOrganization, createProject, signUp, type CreatedProject, type SignedInUser } from './harness/fixtures';

let graph: TestGraph;
let owner: SignedInUser;
let outsider: SignedInUser;
let org: { id: string; slug: string };
let project: CreatedProject;

beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph, 'Owner');
  outsider = await signUp(graph, 'Outsider');
  org = await createOrganization(graph, owner);
  project = await createProject(graph, owner, org.id);
});
afterAll(() => graph?.stop());

const codes = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => response.errors?.map((e) => e.extensions?.code);

describe('without a token', () => {
  it.each([
    ['viewer', '{ viewer { id } }'],
    ['organization', `{ organization(slug: "x") { id } }`],
    ['project', `{ project(id: "prj_01h455vb4pex5vsknk084sn02q") { id } }`],
    ['createOrganization', 'mutation { createOrganization(input: { name: "X" }) { id } }'],
  ])('%s is UNAUTHENTICATED', async (_name, query) => {
    const response = await graph.request(query);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('can still sign up and log in', async () => {
    const response = await graph.request('mutation { logIn(input: { email: "nobody@example.com", password: "whatever1" }) { accessToken } }');
    expect(response.errors?.[0].message).toBe('The email or password is incorrect.');
  });
});

describe('with a bad token', () => {
  it.each([
    ['a malformed header', 'Basic abc', 'malformed'],
    ['a token that is not a JWT', 'Bearer not-a-token', 'invalid'],
    ['a JWT signed by someone else', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJl', 'invalid'],
  ])('%s is refused at the gateway with 401 UNAUTHENTICATED', async (_name, authorization, reason) => {
    const response = await fetch(graph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
    expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.ts/);
  });
});

describe('a signed-in outsider', () => {
  it('gets the same NOT_FOUND for another organization as for one that does not exist', async () => {
    const bySlug = await graph.request(`query($slug: String!) { organization(slug: $slug) { id name } }`, { slug: org.slug }, outsider.token);
    const missing = await graph.request(`query($slug: String!) { organization(slug: $slug) { id name } }`, { slug: 'no-such-org' }, outsider.token);
    const byId = await graph.request(`query($id: ID!) { organization(id: $id) { id name } }`, { id: org.id }, outsider.token);
    expect(codes(bySlug)).toEqual(['NOT_FOUND']);
    expect(bySlug.data).toEqual({ organization: null });
    expect(bySlug).toEqual(missing);
    expect(codes(byId)).toEqual(['NOT_FOUND']);
  });

  it('cannot read its projects or environments by ID', async () => {
    const projectResponse = await graph.request(`query($id: ID!) { project(id: $id) { id name } }`, { id: project.id }, outsider.token);
    const environmentResponse = await graph.request(`query($id: ID!) { environment(id: $id) { id } }`, { id: project.environments[0].id }, outsider.token);
    expect(codes(projectResponse)).toEqual(['NOT_FOUND']);
    expect(projectResponse.data).toEqual({ project: null });
    expect(codes(environmentResponse)).toEqual(['NOT_FOUND']);
  });

  it('cannot create a project in it, and nothing is written', async () => {
    const response = await graph.request(
      'mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }',
      { input: { organizationId: org.id, name: 'Intruder' } },
      outsider.token,
    );
    expect(codes(response)).toEqual(['NOT_FOUND']);
    const check = await graph.request<{ organization: { projects: { totalCount: number } } }>(
      'query($id: ID!) { organization(id: $id) { projects { totalCount } } }',
      { id: org.id },
      owner.token,
    );
    expect(check.data?.organization.projects.totalCount).toBe(1);
  });

  it("does not see the organization among the owner's memberships", async () => {
    const response = await graph.request<{ viewer: { memberships: { nodes: { organization: { id: string } }[] } } }>(
      '{ viewer { memberships { totalCount nodes { role organization { id slug } } } } }',
      {},
      outsider.token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.viewer.memberships).toEqual({ totalCount: 0, nodes: [] });
  });
});

describe('a member', () => {
  it('sees their organizations for the switcher', async () => {
    const response = await graph.request<{ viewer: { memberships: unknown } }>(
      '{ viewer { memberships { totalCount nodes { role organization { id slug } } } } }',
      {},
      owner.token,
    );
    expect(response.data?.viewer.memberships).toEqual({ totalCount: 1, nodes: [{ role: 'OWNER', organization: { id: org.id, slug: org.slug } }] });
  });
});
