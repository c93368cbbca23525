// Bad input of every kind gets a GraphQL error with a stable code, the field at fault and a readable message, and writes nothing.
import { createHash } from 'node:crypto';
import { logger, newId, ROUTER_SECRET_HEADER, SUBGRAPH_NAMES, type SubgraphName } from '@orgapi/shared';
import {
  addMember,
  attemptCreateOrganization,
  attemptCreateProject,
  attemptLogIn,
  attemptSignUp,
  createOrganization,
  createProject,
  createToken,
  expectError,
  expectNoInternals,
  expectOk,
  PASSWORD,
  postGraphQL,
  signUp,
  startGraph,
  unique,
  withConnection,
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

// ── What every refusal must look like: test/harness/expect.ts ──────────────────────────────────────

/**
 * A fingerprint of every table of every subgraph schema (row count and contents), to prove a refused request
 * wrote nothing. Tests in this file run one at a time on their own database, so nothing else writes meanwhile.
 */
function databaseFingerprint(): Promise<Record<string, string>> {
  // As the database's administrator: each subgraph's own role sees only its own schema.
  return withConnection(graph.databaseUrl, async (db) => {
    const { rows: tables } = await db.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    // Every subgraph's tables are covered, or the fingerprint would prove nothing about them.
    expect(new Set(tables.map((t) => t.schema))).toEqual(new Set(SUBGRAPH_NAMES));
    const fingerprint: Record<string, string> = {};
    for (const { schema, name } of tables) {
      // An outbox's worker delivers in the background: what a request writes there is the queued row, not its progress.
      const row = name === 'outbox' ? '(t.id, t.kind, t.recipient, t.subject)::text' : 't::text';
      const { rows } = await db.query(`SELECT count(*) AS rows, md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), '')) AS hash FROM "${schema}"."${name}" t`);
      fingerprint[`${schema}.${name}`] = `${rows[0].rows}:${rows[0].hash}`;
    }
    return fingerprint;
  });
}

/** Runs a request that must be refused, and checks the database is exactly as it was before. */
async function refusedWithoutWriting<T>(request: () => Promise<GraphQLResponse<T>>): Promise<GraphQLResponse<T>> {
  const before = await databaseFingerprint();
  const response = await request();
  expect(await databaseFingerprint()).toEqual(before);
  return response;
}

// ── What the tests arrange and look at ──────────────────────────────────────────────────────────

async function membershipCount(user: SignedInUser): Promise<number> {
  const response = await graph.request<{ viewer: { memberships: { totalCount: number } } }>('{ viewer { memberships { totalCount } } }', {}, user.token);
  return expectOk(response).viewer.memberships.totalCount;
}

async function projectNames(user: SignedInUser, organizationId: string): Promise<{ totalCount: number; names: string[] }> {
  const response = await graph.request<{ organization: { projects: { totalCount: number; nodes: { name: string }[] } } }>(
    'query($id: ID!) { organization(id: $id) { projects(first: 100) { totalCount nodes { name } } } }',
    { id: organizationId },
    user.token,
  );
  const { totalCount, nodes } = expectOk(response).organization.projects;
  return { totalCount, names: nodes.map((p) => p.name) };
}

/** A fresh user with a fresh organization they own. */
async function ownerWithOrganization(): Promise<{ user: SignedInUser; org: CreatedOrganization }> {
  const user = await signUp(graph, 'Olivia Owner');
  return { user, org: await createOrganization(graph, user, unique('Org')) };
}

// ── signUp ──────────────────────────────────────────────────────────────────────────────────────

describe('signing up', () => {
  const valid = () => ({ email: `${unique('new')}@example.com`, password: PASSWORD, name: 'Ann Example' });

  it.each([
    ['an email that is not an address', { email: 'not-an-email' }, 'email', /valid email address/],
    ['an email longer than 254 characters', { email: `${'a'.repeat(250)}@example.com` }, 'email', /at most 254/],
    ['a password shorter than 8 characters', { password: 'seven77' }, 'password', /at least 8 characters/],
    ['a password longer than 256 characters', { password: 'p'.repeat(257) }, 'password', /at most 256/],
    ['an empty name', { name: '' }, 'name', /can't be empty/],
    ['a blank name', { name: '   ' }, 'name', /can't be empty/],
    ['a name longer than 100 characters', { name: 'n'.repeat(101) }, 'name', /at most 100/],
    ['a name with a right-to-left override', { name: 'Ann \u202Eelpmaxe' }, 'name', /direction-changing.*U\+202E/],
    ['a name with a zero-width space', { name: 'Ann\u200BExample' }, 'name', /zero-width.*U\+200B/],
    ['a name with a newline', { name: 'Ann\nExample' }, 'name', /control.*U\+000A/],
    ['an email with a left-to-right isolate', { email: 'ann\u2066@example.com' }, 'email', /valid email address/],
  ])('refuses %s with BAD_USER_INPUT on that field, and creates no account', async (_case, change, field, message) => {
    const input = { ...valid(), ...change };
    const response = await refusedWithoutWriting(() => attemptSignUp(graph, input));
    expect(response.data).toBeNull();
    expect(expectError(response, 'BAD_USER_INPUT', field)).toMatch(message);
    expectError(await attemptLogIn(graph, input.email, input.password), 'UNAUTHENTICATED');
  });

  it('refuses an email that already has an account, even in another case and with spaces, and changes nothing', async () => {
    const local = unique('ann');
    const original = await attemptSignUp(graph, { email: `${local}@example.com`, password: PASSWORD, name: 'Ann' });
    expect(original.errors).toBeUndefined();

    const duplicate = await refusedWithoutWriting(() =>
      attemptSignUp(graph, { email: `  ${local.replace('ann', 'Ann')}@Example.COM `, password: 'another password', name: 'Impostor' }),
    );
    expect(duplicate.data).toBeNull();
    expect(expectError(duplicate, 'CONFLICT', 'email')).toBe('An account with this email already exists. Log in instead.');

    const logIn = await attemptLogIn(graph, `${local}@example.com`, PASSWORD);
    expect(logIn.errors).toBeUndefined();
    expect(logIn.data!.logIn.user).toEqual({ id: original.data!.signUp.user.id, email: `${local}@example.com`, name: 'Ann' });
    expectError(await attemptLogIn(graph, `${local}@example.com`, 'another password'), 'UNAUTHENTICATED');
  });

  // Product bug: PostgreSQL refuses NUL in text, and the error surfaces as INTERNAL_SERVER_ERROR.
  it('refuses a name with a NUL character as bad input, not as a server error', async () => {
    const response = await refusedWithoutWriting(() => attemptSignUp(graph, { ...valid(), name: 'Ann\u0000Example' }));
    expectError(response, 'BAD_USER_INPUT', 'name');
  });
});

// ── logIn ───────────────────────────────────────────────────────────────────────────────────────

describe('logging in', () => {
  it('answers a wrong password and an unknown email identically, so nobody can probe which emails have accounts', async () => {
    const user = await signUp(graph, 'Known User');
    const wrongPassword = await attemptLogIn(graph, user.email, 'not the password');
    const unknownEmail = await attemptLogIn(graph, `${unique('nobody')}@example.com`, 'not the password');

    expect(expectError(wrongPassword, 'UNAUTHENTICATED')).toBe('The email or password is incorrect.');
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it('still works with the right password afterwards', async () => {
    const user = await signUp(graph, 'Known User');
    await attemptLogIn(graph, user.email, 'not the password');
    const response = await attemptLogIn(graph, user.email, PASSWORD);
    expect(response.errors).toBeUndefined();
    expect(response.data!.logIn.user.id).toBe(user.id);
  });

  // No account can have such an email, so saying so reveals nothing.
  it('refuses an email with a NUL character as bad input, not as a server error', async () => {
    const response = await attemptLogIn(graph, 'nobody\u0000@example.com', 'whatever1');
    expectError(response, 'BAD_USER_INPUT', 'email');
  });
});

// ── createOrganization ──────────────────────────────────────────────────────────────────────────

describe('creating an organization', () => {
  it.each([
    ['a blank name', { name: '   ' }, 'name', /can't be empty/],
    ['a name longer than 100 characters', { name: 'n'.repeat(101) }, 'name', /at most 100/],
    ['a slug with spaces', { slug: 'Has Spaces' }, 'slug', /lower-case letters, digits and inner hyphens/],
    ['a slug starting with a hyphen', { slug: '-x' }, 'slug', /inner hyphens/],
    ['a slug ending with a hyphen', { slug: 'x-' }, 'slug', /inner hyphens/],
    ['a slug in upper case', { slug: 'Acme' }, 'slug', /lower-case/],
    ['a slug longer than 48 characters', { slug: 'a'.repeat(49) }, 'slug', /1 to 48/],
    ['an empty slug', { slug: '' }, 'slug', /1 to 48/],
    ['a reserved slug', { slug: 'settings' }, 'slug', /reserved/],
    ['a name with a right-to-left override', { name: 'Acme \u202Eevil' }, 'name', /direction-changing.*U\+202E/],
    ['a name with a directional isolate', { name: '\u2067Acme' }, 'name', /direction-changing.*U\+2067/],
    ['a name with a byte-order mark', { name: 'Ac\uFEFFme' }, 'name', /zero-width.*U\+FEFF/],
    ['a name with an escape character', { name: 'Acme\u001B[2J' }, 'name', /control.*U\+001B/],
    ['a slug with a zero-width joiner', { slug: 'ac\u200Dme' }, 'slug', /lower-case letters/],
  ])('refuses %s with BAD_USER_INPUT on that field, and creates nothing', async (_case, change, field, message) => {
    const user = await signUp(graph);
    const response = await refusedWithoutWriting(() => attemptCreateOrganization(graph, user, { name: 'Acme', slug: unique('acme'), ...change }));
    expect(response.data).toBeNull();
    expect(expectError(response, 'BAD_USER_INPUT', field)).toMatch(message);
    expect(await membershipCount(user)).toBe(0);
  });

  it('refuses a slug that is already taken with CONFLICT on slug, and adds no membership', async () => {
    const { user, org } = await ownerWithOrganization();
    const response = await refusedWithoutWriting(() => attemptCreateOrganization(graph, user, { name: 'Second', slug: org.slug }));
    expect(response.data).toBeNull();
    expect(expectError(response, 'CONFLICT', 'slug')).toBe(`The slug "${org.slug}" is already taken. Choose another.`);
    expect(await membershipCount(user)).toBe(1);
  });

  it('refuses a taken slug even when typed with surrounding spaces', async () => {
    const { user, org } = await ownerWithOrganization();
    const response = await refusedWithoutWriting(() => attemptCreateOrganization(graph, user, { name: 'Second', slug: ` ${org.slug} ` }));
    expectError(response, 'CONFLICT', 'slug');
    expect(await membershipCount(user)).toBe(1);
  });

  it('derives the slug from the name when none is given, and suffixes it when that slug is taken', async () => {
    const first = await attemptCreateOrganization(graph, await signUp(graph), { name: 'Acme Labs, Inc.' });
    const second = await attemptCreateOrganization(graph, await signUp(graph), { name: 'Acme Labs, Inc.', slug: null });
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(first.data!.createOrganization).toMatchObject({ name: 'Acme Labs, Inc.', slug: 'acme-labs-inc' });
    expect(second.data!.createOrganization).toMatchObject({ name: 'Acme Labs, Inc.', slug: 'acme-labs-inc-2' });
  });

  it('stores a name in NFC, however its accents were typed', async () => {
    const response = await attemptCreateOrganization(graph, await signUp(graph), { name: 'Cre\u0300me Bru\u0302le\u0301e', slug: unique('creme') });
    expect(expectOk(response).createOrganization.name).toBe('Crème Brûlée');
  });

  it.each([
    ['Crème Brûlée', 'creme-brulee'],
    ['Settings', 'org-settings'],
    ['!!!', 'org'],
  ])('derives a usable slug from the name %j', async (name, slug) => {
    const response = await attemptCreateOrganization(graph, await signUp(graph), { name });
    expect(response.errors).toBeUndefined();
    expect(response.data!.createOrganization.slug).toBe(slug);
  });

  // Product bug: PostgreSQL refuses NUL in text, and the error surfaces as INTERNAL_SERVER_ERROR.
  it('refuses a name with a NUL character as bad input, not as a server error', async () => {
    const user = await signUp(graph);
    const response = await refusedWithoutWriting(() => attemptCreateOrganization(graph, user, { name: 'Acme\u0000', slug: unique('acme') }));
    expectError(response, 'BAD_USER_INPUT', 'name');
  });
});

// ── createProject ───────────────────────────────────────────────────────────────────────────────

describe('creating a project', () => {
  it.each([
    ['an empty name', '', /can't be empty/],
    ['a blank name', '   ', /can't be empty/],
    ['a name longer than 100 characters', 'n'.repeat(101), /at most 100/],
    ['a name with a pop directional formatting', 'Checkout\u202C', /direction-changing.*U\+202C/],
    ['a name with a zero-width non-joiner', 'Check\u200Cout', /zero-width.*U\+200C/],
    ['a name with a tab', 'Check\tout', /control.*U\+0009/],
  ])('refuses %s with BAD_USER_INPUT on name, and creates nothing', async (_case, name, message) => {
    const { user, org } = await ownerWithOrganization();
    const response = await refusedWithoutWriting(() => attemptCreateProject(graph, user, { organizationId: org.id, name }));
    expect(response.data).toBeNull();
    expect(expectError(response, 'BAD_USER_INPUT', 'name')).toMatch(message);
    expect(await projectNames(user, org.id)).toEqual({ totalCount: 0, names: [] });
  });

  it.each(['Checkout', 'checkout', 'CHECKOUT', '  Checkout  '])(
    'refuses %j when "Checkout" exists in the organization, with CONFLICT on name',
    async (name) => {
      const { user, org } = await ownerWithOrganization();
      await createProject(graph, user, org.id, 'Checkout');
      const response = await refusedWithoutWriting(() => attemptCreateProject(graph, user, { organizationId: org.id, name }));
      expect(response.data).toBeNull();
      expect(expectError(response, 'CONFLICT', 'name')).toMatch(/already exists in this organization/);
      expect(await projectNames(user, org.id)).toEqual({ totalCount: 1, names: ['Checkout'] });
    },
  );

  it('allows the same name in another organization', async () => {
    const { user, org } = await ownerWithOrganization();
    const other = await createOrganization(graph, user, unique('Other'));
    await createProject(graph, user, org.id, 'Checkout');
    const response = await attemptCreateProject(graph, user, { organizationId: other.id, name: 'Checkout' });
    expect(response.errors).toBeUndefined();
  });

  it.each([
    ['is not an ID', () => 'not-an-id'],
    ['is an empty string', () => ''],
    ['is the ID of another kind of thing', () => newId('prj')],
    ['does not exist', () => newId('org')],
  ])('answers NOT_FOUND when the organization ID %s', async (_case, organizationId) => {
    const { user } = await ownerWithOrganization();
    const response = await refusedWithoutWriting(() => attemptCreateProject(graph, user, { organizationId: organizationId(), name: 'Checkout' }));
    expect(response.data).toBeNull();
    expect(expectError(response, 'NOT_FOUND')).toBe('Organization was not found.');
  });

  it('refuses a VIEWER with FORBIDDEN, and creates nothing', async () => {
    const { user, org } = await ownerWithOrganization();
    const viewer = await signUp(graph, 'Victor Viewer');
    await addMember(graph, org.id, viewer, 'VIEWER');
    const response = await refusedWithoutWriting(() => attemptCreateProject(graph, viewer, { organizationId: org.id, name: 'Checkout' }));
    expect(response.data).toBeNull();
    expect(expectError(response, 'FORBIDDEN')).toMatch(/VIEWER/);
    expect(await projectNames(user, org.id)).toEqual({ totalCount: 0, names: [] });
  });

  // Product bug: PostgreSQL refuses NUL in text, and the error surfaces as INTERNAL_SERVER_ERROR.
  it('refuses a name with a NUL character as bad input, not as a server error', async () => {
    const { user, org } = await ownerWithOrganization();
    const response = await refusedWithoutWriting(() => attemptCreateProject(graph, user, { organizationId: org.id, name: 'Check\u0000out' }));
    expectError(response, 'BAD_USER_INPUT', 'name');
  });
});

// ── organization(id, slug) ──────────────────────────────────────────────────────────────────────

describe('looking up an organization', () => {
  it.each([
    ['both an id and a slug', (org: { id: string; slug: string }) => ({ id: org.id, slug: org.slug })],
    ['neither an id nor a slug', () => ({})],
  ])('with %s is BAD_USER_INPUT', async (_case, args) => {
    const { user, org } = await ownerWithOrganization();
    const response = await graph.request('query($id: ID, $slug: String) { organization(id: $id, slug: $slug) { id } }', args(org), user.token);
    expect(response.data).toEqual({ organization: null });
    expect(expectError(response, 'BAD_USER_INPUT')).toBe('Pass exactly one of `id` or `slug`.');
  });
});

// ── Connections ─────────────────────────────────────────────────────────────────────────────────

describe('paging through a list', () => {
  const LISTS = [
    ['organization.projects', 'query($id: ID!, $first: Int, $after: String) { organization(id: $id) { projects(first: $first, after: $after) { totalCount } } }'],
    ['organization.members', 'query($id: ID!, $first: Int, $after: String) { organization(id: $id) { members(first: $first, after: $after) { totalCount } } }'],
    ['viewer.memberships', 'query($first: Int, $after: String) { viewer { memberships(first: $first, after: $after) { totalCount } } }'],
  ] as const;

  describe.each(LISTS)('%s', (_list, query) => {
    it.each([-1, 101])('refuses first: %d with BAD_USER_INPUT on first', async (first) => {
      const { user, org } = await ownerWithOrganization();
      const response = await graph.request(query, { id: org.id, first }, user.token);
      expect(expectError(response, 'BAD_USER_INPUT', 'first')).toBe('`first` must be between 0 and 100.');
    });

    it.each([
      ['garbage', 'garbage'],
      ['an empty cursor', ''],
      ['a cursor with nothing after its prefix', Buffer.from('cursor:').toString('base64url')],
    ])('refuses after: %s with BAD_USER_INPUT on after', async (_case, after) => {
      const { user, org } = await ownerWithOrganization();
      const response = await graph.request(query, { id: org.id, after }, user.token);
      expect(expectError(response, 'BAD_USER_INPUT', 'after')).toMatch(/not a cursor this list returned/);
    });

    // Product bug: decodeCursor passes any text on to SQL; PostgreSQL refuses NUL, so INTERNAL_SERVER_ERROR.
    it('refuses a forged cursor holding a NUL character as bad input, not as a server error', async () => {
      const { user, org } = await ownerWithOrganization();
      const after = Buffer.from('cursor:\u0000').toString('base64url');
      const response = await graph.request(query, { id: org.id, after }, user.token);
      expectError(response, 'BAD_USER_INPUT', 'after');
    });
  });

  it('returns the third of three projects on the second page of two, with no next page', async () => {
    const { user, org } = await ownerWithOrganization();
    for (const name of ['Alpha', 'Beta', 'Gamma']) await createProject(graph, user, org.id, name);
    type Page = { organization: { projects: { totalCount: number; nodes: { name: string }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null } } } };
    const PAGE = 'query($id: ID!, $after: String) { organization(id: $id) { projects(first: 2, after: $after) { totalCount nodes { name } pageInfo { hasNextPage hasPreviousPage endCursor } } } }';

    const first = await graph.request<Page>(PAGE, { id: org.id }, user.token);
    expect(first.errors).toBeUndefined();
    const firstPage = first.data!.organization.projects;
    expect(firstPage.nodes.map((p) => p.name)).toEqual(['Alpha', 'Beta']);
    expect(firstPage.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(firstPage.totalCount).toBe(3);

    const second = await graph.request<Page>(PAGE, { id: org.id, after: firstPage.pageInfo.endCursor }, user.token);
    expect(second.errors).toBeUndefined();
    const secondPage = second.data!.organization.projects;
    expect(secondPage.nodes.map((p) => p.name)).toEqual(['Gamma']);
    expect(secondPage.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(secondPage.totalCount).toBe(3);
  });

  it('accepts first: 0 and first: 100, the ends of the allowed range', async () => {
    const { user, org } = await ownerWithOrganization();
    await createProject(graph, user, org.id, 'Alpha');
    for (const first of [0, 100]) {
      const response = await graph.request<{ organization: { projects: { nodes: unknown[] } } }>(
        'query($id: ID!, $first: Int) { organization(id: $id) { projects(first: $first) { nodes { id } } } }',
        { id: org.id, first },
        user.token,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data!.organization.projects.nodes).toHaveLength(first === 0 ? 0 : 1);
    }
  });
});

// ── creditUsage ─────────────────────────────────────────────────────────────────────────────────

describe('asking for credit usage', () => {
  const USAGE = 'query($id: ID!, $from: DateTime!, $to: DateTime!) { organization(id: $id) { id creditUsage(from: $from, to: $to) { total } } }';

  it.each([
    ['ends before it starts', '2026-11-04T00:00:00Z', '2026-11-01T00:00:00Z', /`to` must be later than `from`/],
    ['is empty', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', /`to` must be later than `from`/],
    ['is longer than 400 days', '2025-01-01T00:00:00Z', '2026-02-05T00:00:00.001Z', /at most 400 days/],
  ])('refuses a period that %s with BAD_USER_INPUT on to', async (_case, from, to, message) => {
    const { user, org } = await ownerWithOrganization();
    const response = await graph.request<{ organization: { id: string; creditUsage: unknown } }>(USAGE, { id: org.id, from, to }, user.token);
    expect(response.data).toEqual({ organization: { id: org.id, creditUsage: null } });
    expect(expectError(response, 'BAD_USER_INPUT', 'to')).toMatch(message);
    expect(response.errors![0].path).toEqual(['organization', 'creditUsage']);
  });

  it('accepts a period of exactly 400 days', async () => {
    const { user, org } = await ownerWithOrganization();
    const response = await graph.request(USAGE, { id: org.id, from: '2024-01-01T00:00:00Z', to: '2025-02-04T00:00:00Z' }, user.token);
    expect(response.errors).toBeUndefined();
  });

  // The gateway cannot check a custom scalar, so the billing subgraph refuses the value during variable coercion.
  it.each([
    ['a word', 'yesterday'],
    ['a date without a time', '2026-11-01'],
    ['a number', 1_700_000_000],
  ])('refuses a DateTime variable that is %s with BAD_USER_INPUT, not a server error', async (_case, from) => {
    const { user, org } = await ownerWithOrganization();
    const response = await graph.request(USAGE, { id: org.id, from, to: '2026-11-04T00:00:00Z' }, user.token);
    expectNoInternals(response.status, response);
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(response.errors!.map((e) => e.extensions?.code)).toEqual(response.errors!.map(() => 'BAD_USER_INPUT'));
  });

  // Product bug: the caller reads "400: Bad Request" (the billing subgraph's HTTP status), not what is wrong.
  it('says which variable is not a DateTime', async () => {
    const { user, org } = await ownerWithOrganization();
    const response = await graph.request(USAGE, { id: org.id, from: 'yesterday', to: '2026-11-04T00:00:00Z' }, user.token);
    expect(expectError(response, 'BAD_USER_INPUT')).toMatch(/\$from.*yesterday/);
  });
});

// ── NUL characters and unpaired surrogates ──────────────────────────────────────────────────────

/** A GraphQL request body as a client sends it, built from the owner's fresh organization and token. */
type RequestOf = (arranged: { orgId: string; tokenId: string }) => { query: string; variables?: Record<string, unknown>; operationName?: string; extensions?: Record<string, unknown> };

/** An `_entities` request for one representation of `typename`, as a router sends it. */
const entities = (typename: string, representation: Record<string, unknown>) => ({
  query: `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { __typename } } }`,
  variables: { representations: [{ __typename: typename, ...representation }] },
});

/** PostgreSQL can't store a NUL, and an unpaired surrogate is not Unicode: both are refused before any resolver runs. */
function expectRefusedText(response: GraphQLResponse<unknown>, field: string): void {
  expect(response.status).toBe(400);
  expect(response.data).toBeUndefined();
  expect(expectError(response, 'BAD_USER_INPUT', field)).toMatch(/contains (a key with )?(a NUL character \(U\+0000\)|an unpaired surrogate \(U\+D[89A-F][0-9A-F]{2}\))/);
  // The refusal names the character; it does not echo it.
  expect(JSON.stringify(response)).not.toMatch(/\\u0000|\\ud[89a-f]/i);
}

describe('text with a NUL character or an unpaired surrogate', () => {
  const CASES: [string, RequestOf, string][] = [
    ['an organization slug literal', () => ({ query: '{ organization(slug: "acme\\u0000") { id } }' }), 'slug'],
    ['an organization ID variable', ({ orgId }) => ({ query: 'query($id: ID!) { organization(id: $id) { id } }', variables: { id: `${orgId}\u0000` } }), 'id'],
    ['an organization ID with an unpaired surrogate', () => ({ query: 'query($id: ID!) { organization(id: $id) { id } }', variables: { id: 'org_\uD800' } }), 'id'],
    ['a session ID to revoke', () => ({ query: 'mutation { revokeSession(id: "ses_\\u0000") { id } }' }), 'id'],
    [
      'a personal access token ID to revoke',
      ({ tokenId }) => ({ query: 'mutation($id: ID!) { revokePersonalAccessToken(id: $id) { id } }', variables: { id: `${tokenId}\u0000` } }),
      'id',
    ],
    [
      'a name nested in an input variable',
      ({ orgId }) => ({ query: 'mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }', variables: { input: { organizationId: orgId, name: 'Check\uDC00out' } } }),
      'name',
    ],
    [
      'a key of an input variable',
      ({ orgId }) => ({
        query: 'mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }',
        variables: { input: { organizationId: orgId, name: 'Checkout', ['na\u0000me']: 'x' } },
      }),
      'input',
    ],
    [
      'a new name, as the finding saw it echoed back',
      () => ({ query: 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { name } }', variables: { input: { name: 'Acme \uD800' } } }),
      'name',
    ],
    ['a variable inside an input literal', () => ({ query: 'mutation($n: String!) { createOrganization(input: { name: $n }) { id } }', variables: { n: 'Acme\u0000' } }), 'name'],
    ["a variable's default value", () => ({ query: 'query($slug: String = "\\u0000") { organization(slug: $slug) { id } }' }), '$slug'],
    ['a variable the operation does not declare', () => ({ query: '{ viewer { id } }', variables: { stray: '\u0000' } }), '$stray'],
    ['the operationName', () => ({ query: 'query Q { viewer { id } }', operationName: 'Q\u0000' }), 'operationName'],
    ['an extension', () => ({ query: '{ viewer { id } }', extensions: { note: ['\uDBFF'] } }), 'extensions.note.0'],
  ];

  it.each(CASES)('in %s is refused at the gateway with 400 BAD_USER_INPUT on that field, and writes nothing', async (_case, request, field) => {
    const { user, org } = await ownerWithOrganization();
    const token = await createToken(graph, user);
    const response = await refusedWithoutWriting(() => postGraphQL(graph.url, request({ orgId: org.id, tokenId: token.id }), { authorization: `Bearer ${user.token}` }));
    expectRefusedText(response, field);
  });

  // A router may be misconfigured, or its secret leaked: each subgraph refuses such text itself.
  const STRAIGHT: [SubgraphName, string, RequestOf, string][] = [
    ['identity', 'an _entities User ID', () => entities('User', { id: 'usr_\u0000' }), 'representations.0.id'],
    ['organizations', 'an _entities Organization ID', () => entities('Organization', { id: 'org_\u0000' }), 'representations.0.id'],
    ['organizations', 'an _entities Project ID with an unpaired surrogate', () => entities('Project', { id: 'prj_\uD83D' }), 'representations.0.id'],
    ['billing', 'an _entities Organization ID', () => entities('Organization', { id: 'org_\u0000', viewerPermissions: ['billing:read'] }), 'representations.0.id'],
    ['billing', 'an _entities Project with a NUL in a key', ({ orgId }) => entities('Project', { id: 'prj_x', organizationId: orgId, ['x\u0000']: 1 }), 'representations.0'],
    ['organizations', 'an organization slug literal', () => ({ query: '{ organization(slug: "acme\\u0000") { id } }' }), 'slug'],
    ['identity', 'a session ID to revoke', () => ({ query: 'mutation { revokeSession(id: "ses_\\u0000") { id } }' }), 'id'],
  ];

  it.each(STRAIGHT)('is refused by %s itself, called straight with the router secret, in %s', async (name, _case, request, field) => {
    const { user, org } = await ownerWithOrganization();
    const headers = { authorization: `Bearer ${user.token}`, [ROUTER_SECRET_HEADER]: graph.routerSecret };
    const response = await refusedWithoutWriting(() => postGraphQL(graph.subgraphs[name].url, request({ orgId: org.id, tokenId: '' }), headers));
    expectRefusedText(response, field);
  });
});

// ── Malformed requests ──────────────────────────────────────────────────────────────────────────

describe('a malformed request to the gateway', () => {
  async function send(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, url = graph.url) {
    const response = await fetch(url, { method: 'POST', headers, body });
    const text = await response.text();
    let json: GraphQLResponse<unknown>;
    try {
      json = JSON.parse(text) as GraphQLResponse<unknown>;
    } catch {
      throw new Error(`The gateway answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
    }
    expectNoInternals(response.status, json);
    return { ...json, status: response.status };
  }

  it('with a body that is not JSON is refused with 400 BAD_USER_INPUT', async () => {
    const response = await send('{"query": "{ viewer { id } }"');
    expect(response.status).toBe(400);
    expect(expectError(response, 'BAD_USER_INPUT')).toBe('The request body is not valid JSON.');
  });

  it('with a syntax error is refused with 400 GRAPHQL_PARSE_FAILED', async () => {
    const response = await send(JSON.stringify({ query: '{ viewer { id }' }));
    expect(response.status).toBe(400);
    expect(expectError(response, 'GRAPHQL_PARSE_FAILED')).toMatch(/^Syntax Error/);
  });

  it('asking for a field that does not exist is refused with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const response = await send(JSON.stringify({ query: '{ viewer { id shoeSize } }' }));
    expect(response.status).toBe(400);
    expect(expectError(response, 'GRAPHQL_VALIDATION_FAILED')).toMatch(/shoeSize/);
  });

  it('with a literal argument of the wrong type is refused with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const response = await send(JSON.stringify({ query: '{ viewer { memberships(first: "ten") { totalCount } } }' }));
    expect(response.status).toBe(400);
    expectError(response, 'GRAPHQL_VALIDATION_FAILED');
  });

  it.each([
    ['without a query', JSON.stringify({})],
    ['with a query that is not a string', JSON.stringify({ query: 42 })],
    ['with variables that are not an object', JSON.stringify({ query: '{ viewer { id } }', variables: 'x' })],
    ['with a JSON array', JSON.stringify([{ query: '{ viewer { id } }' }])],
  ])('%s is refused with a 4xx', async (_case, body) => {
    const response = await send(body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.errors?.length).toBeGreaterThan(0);
  });

  it('with a plain-text body is refused with a 4xx (CSRF prevention), not a 500', async () => {
    const response = await send('{ viewer { id } }', { 'content-type': 'text/plain' });
    expect(response.status).toBeGreaterThanOrEqual(400);
  });

  // A client's mistake, not ours: a 4xx or a GraphQL error with a code, never the generic 500, and nothing logged as an error.
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  /** Each case: what it answers, and the body, from an operation `op(name)` that would write if it ran. */
  const MISTAKES: [string, number, string, RegExp, (op: (name: string) => string) => Record<string, unknown>][] = [
    ['several operations and no operationName', 400, 'OPERATION_RESOLUTION_FAILURE', /holds 2 operations \(A, B\): say which one to run with operationName/, (op) => ({ query: `${op('A')} ${op('B')}` })],
    ['an operationName the document does not hold', 400, 'OPERATION_RESOLUTION_FAILURE', /no operation named "Nope"; it holds one operation \(A\)/, (op) => ({ query: op('A'), operationName: 'Nope' })],
    ['a subscription, which this API does not have', 400, 'GRAPHQL_VALIDATION_FAILED', /no subscription operations/, () => ({ query: 'subscription { __typename }' })],
    [
      'a persisted query whose hash does not match its text',
      400,
      'BAD_REQUEST',
      /sha256Hash is not the SHA-256 of the query/,
      (op) => ({ query: op('A'), extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } } }),
    ],
    ['a persisted query version other than 1', 400, 'BAD_REQUEST', /Only version 1/, (op) => ({ query: op('A'), extensions: { persistedQuery: { version: 2, sha256Hash: sha256(op('A')) } } })],
    // The automatic persisted queries protocol: the client then sends the query with its hash. Clients match this message.
    ['the hash of a query never sent, without the query', 200, 'PERSISTED_QUERY_NOT_FOUND', /^PersistedQueryNotFound$/, () => ({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ never }') } } })],
  ];

  interface Target {
    url: string;
    headers: Record<string, string>;
    op: (name: string) => string;
  }
  const createOrganization = (name: string) => `mutation ${name} { createOrganization(input: { name: "${name}" }) { id } }`;
  // Each subgraph too, called as a router calls it. The graph starts after these tables are read, hence the functions.
  const TARGETS: [string, () => Target][] = [
    ['the gateway', () => ({ url: graph.url, headers: {}, op: createOrganization })],
    ...SUBGRAPH_NAMES.map((name): [string, () => Target] => [
      `the ${name} subgraph, called straight`,
      () => ({
        url: graph.subgraphs[name].url,
        headers: { [ROUTER_SECRET_HEADER]: graph.routerSecret },
        op: {
          identity: (op: string) => `mutation ${op} { createPersonalAccessToken(name: "${op}") { token } }`,
          organizations: createOrganization,
          // Billing has no mutations.
          billing: (op: string) => `query ${op} { __typename }`,
        }[name],
      }),
    ]),
  ];

  describe.each(TARGETS)('sent to %s', (_target, target) => {
    it.each(MISTAKES)('with %s gets HTTP %d and %s, runs nothing and logs no error', async (_case, status, code, message, body) => {
      const user = await signUp(graph);
      const { url, headers, op } = target();
      const errors = jest.spyOn(logger, 'error');
      try {
        const response = await refusedWithoutWriting(() =>
          send(JSON.stringify(body(op)), { 'content-type': 'application/json', authorization: `Bearer ${user.token}`, ...headers }, url),
        );
        expect(response.status).toBe(status);
        expect(expectError(response, code)).toMatch(message);
        expect(errors).not.toHaveBeenCalled();
      } finally {
        errors.mockRestore();
      }
    });
  });
});
