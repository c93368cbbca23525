// Sessions: signing in hands out an access token and a one-use refresh token; logging out, revoking, reusing a
// refresh token or changing the password ends sessions, everywhere, and leaves the user's other sessions alone.
import {
  addMember,
  attemptLogIn,
  attemptSignUp,
  codes,
  createOrganization,
  createToken,
  currentSessionId,
  expectError,
  expectOk,
  logIn,
  logOut,
  organization,
  PASSWORD,
  refresh,
  revokeSession,
  SESSIONS,
  sessionsOf,
  signUp,
  startGraph,
  unique,
  untilRefused,
  viewer,
  type AuthPayload,
  type ListedSession,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const ACCESS_TOKEN_TTL_MS = 15 * 60_000;

/**
 * The session has ended: identity gives its access token nothing at once, and refuses it with UNAUTHENTICATED
 * (at once when the gateway has not seen the token lately; else once the gateway's cached answer expires). Its
 * refresh token is refused at once.
 */
async function expectEnded(session: SignedInUser): Promise<void> {
  const atOnce = await viewer(graph, session.token);
  expect(atOnce.data?.viewer ?? null).toBeNull();
  expectError(await untilRefused(() => viewer(graph, session.token)), 'UNAUTHENTICATED');
  expectError(await refresh(graph, session.refreshToken), 'UNAUTHENTICATED');
}

/** The session's access token opens `viewer` as its user. */
async function expectWorks(session: SignedInUser): Promise<void> {
  expect(expectOk(await viewer(graph, session.token)).viewer).toEqual({ id: session.id });
}

function expectAuthPayload(payload: AuthPayload, user: { id: string; email: string; name: string }, requestedAt: number): void {
  expect(payload.user).toEqual({ id: user.id, email: user.email, name: user.name });
  expect(payload.accessToken.split('.')).toHaveLength(3);
  expect(payload.refreshToken).toEqual(expect.any(String));
  expect(payload.refreshToken.length).toBeGreaterThanOrEqual(32);
  expect(payload.refreshToken).not.toBe(payload.accessToken);
  const expiresAt = Date.parse(payload.accessTokenExpiresAt);
  expect(expiresAt - requestedAt).toBeGreaterThan(ACCESS_TOKEN_TTL_MS - 60_000);
  expect(expiresAt - Date.now()).toBeLessThan(ACCESS_TOKEN_TTL_MS + 60_000);
}

// ── Signing in ───────────────────────────────────────────────────────────────────────────────────

describe('signing up, logging in and refreshing', () => {
  it('each return an access token good for about 15 minutes, a refresh token and the user', async () => {
    const email = `${unique('user')}@example.com`;

    let requestedAt = Date.now();
    const signedUp = expectOk(await attemptSignUp(graph, { email, password: PASSWORD, name: 'Ann' })).signUp;
    expectAuthPayload(signedUp, { id: signedUp.user.id, email, name: 'Ann' }, requestedAt);
    expect(signedUp.user.id).toMatch(/^usr_/);

    requestedAt = Date.now();
    const loggedIn = expectOk(await attemptLogIn(graph, email, PASSWORD)).logIn;
    expectAuthPayload(loggedIn, signedUp.user, requestedAt);

    requestedAt = Date.now();
    const refreshed = expectOk(await refresh(graph, loggedIn.refreshToken)).refreshSession;
    expectAuthPayload(refreshed, signedUp.user, requestedAt);

    expect(new Set([signedUp.refreshToken, loggedIn.refreshToken, refreshed.refreshToken]).size).toBe(3);
  });
});

// ── Refreshing ───────────────────────────────────────────────────────────────────────────────────

describe('a refresh token', () => {
  it('trades once for a new pair, and the new access token works', async () => {
    const session = await signUp(graph);
    const refreshed = expectOk(await refresh(graph, session.refreshToken)).refreshSession;

    expect(refreshed.refreshToken).not.toBe(session.refreshToken);
    expect(refreshed.accessToken).not.toBe(session.token);
    expect(expectOk(await viewer(graph, refreshed.accessToken)).viewer).toEqual({ id: session.id });
    // …and the new refresh token trades in turn.
    expectOk(await refresh(graph, refreshed.refreshToken));
  });

  it('reused after it was traded is UNAUTHENTICATED, and ends the whole session everywhere', async () => {
    const session = await signUp(graph);
    const org = await createOrganization(graph, session);
    const refreshed = expectOk(await refresh(graph, session.refreshToken)).refreshSession;
    // The new access token is in use across the graph, so other services have it in their cache.
    expectOk(await organization(graph, refreshed.accessToken, org.id));

    const reuse = await refresh(graph, session.refreshToken);
    expect(reuse.data).toBeNull();
    expect(expectError(reuse, 'UNAUTHENTICATED')).toMatch(/already used/);

    expectError(await refresh(graph, refreshed.refreshToken), 'UNAUTHENTICATED');
    // Identity gives the session's access tokens nothing, and every service refuses them within the cache window.
    expect((await viewer(graph, refreshed.accessToken)).data?.viewer ?? null).toBeNull();
    expectError(await untilRefused(() => viewer(graph, refreshed.accessToken)), 'UNAUTHENTICATED');
    expectError(await untilRefused(() => viewer(graph, session.token)), 'UNAUTHENTICATED');
    expectError(await untilRefused(() => organization(graph, refreshed.accessToken, org.id)), 'UNAUTHENTICATED');
  });

  it('that was never issued is UNAUTHENTICATED', async () => {
    for (const madeUp of ['not-a-refresh-token', `rt_${'A'.repeat(43)}`]) {
      const response = await refresh(graph, madeUp);
      expect(response.data).toBeNull();
      expectError(response, 'UNAUTHENTICATED');
    }
  });
});

// ── Logging out ──────────────────────────────────────────────────────────────────────────────────

describe('logging out', () => {
  it('ends the current session, and only it', async () => {
    const laptop = await signUp(graph);
    const phone = await logIn(graph, laptop);

    const loggedOut = expectOk(await logOut(graph, laptop)).logOut;
    expect(loggedOut.id).toMatch(/^ses_/);
    expect(loggedOut.revokedAt).not.toBeNull();

    await expectEnded(laptop);
    await expectWorks(phone);
    expectOk(await refresh(graph, phone.refreshToken));
  });
});

// ── Listing and revoking sessions ────────────────────────────────────────────────────────────────

describe("a user's sessions", () => {
  it('lists the active ones, exactly one of them current', async () => {
    const laptop = await signUp(graph);
    const phone = await logIn(graph, laptop);
    const ended = await logIn(graph, laptop);
    expectOk(await logOut(graph, ended));

    const fromLaptop = await sessionsOf(graph, laptop);
    expect(fromLaptop).toHaveLength(2);
    expect(fromLaptop.filter((s) => s.current)).toHaveLength(1);
    for (const s of fromLaptop) {
      expect(s.id).toMatch(/^ses_/);
      expect(s.ipAddress).toBe('127.0.0.1');
      expect(Number.isNaN(Date.parse(s.lastUsedAt))).toBe(false);
    }
    const fromPhone = await sessionsOf(graph, phone);
    expect(fromPhone.map((s) => s.id).sort()).toEqual(fromLaptop.map((s) => s.id).sort());
    // Each device sees its own session as the current one.
    expect(fromPhone.find((s) => s.current)!.id).not.toBe(fromLaptop.find((s) => s.current)!.id);
  });

  // Product bug: the gateway forwards neither the caller's User-Agent nor any other header than its own list to
  // the subgraphs, so identity records no user agent for any session.
  it('shows the user agent each one signed in with', async () => {
    const laptop = await signUp(graph, 'Test User', { 'user-agent': 'Laptop/1.0 (test)' });
    await logIn(graph, laptop, { 'user-agent': 'Phone/2.0 (test)' });

    const listed = await graph.send<{ viewer: { sessions: ListedSession[] } }>(SESSIONS, {}, {
      authorization: `Bearer ${laptop.token}`,
      'user-agent': 'Laptop/1.0 (test)',
    });
    const sessions = expectOk(listed).viewer.sessions;
    expect(sessions.find((s) => s.current)?.userAgent).toBe('Laptop/1.0 (test)');
    expect(sessions.map((s) => s.userAgent).sort()).toEqual(['Laptop/1.0 (test)', 'Phone/2.0 (test)']);
  });

  it('can end another of them, for example on a lost device', async () => {
    const laptop = await signUp(graph);
    const lostPhone = await logIn(graph, laptop);
    const phoneSessionId = await currentSessionId(graph, lostPhone);

    const revoked = expectOk(await revokeSession(graph, laptop, phoneSessionId)).revokeSession;
    expect(revoked).toEqual({ id: phoneSessionId, current: false, revokedAt: expect.any(String) });

    await expectEnded(lostPhone);
    await expectWorks(laptop);
    expect((await sessionsOf(graph, laptop)).map((s) => s.id)).not.toContain(phoneSessionId);
  });

  it("cannot end another user's session: NOT_FOUND, and that session keeps working", async () => {
    const victim = await signUp(graph);
    const attacker = await signUp(graph);
    const victimSessionId = await currentSessionId(graph, victim);

    const response = await revokeSession(graph, attacker, victimSessionId);
    expect(response.data).toBeNull();
    expect(expectError(response, 'NOT_FOUND')).toBe('Session was not found.');

    await expectWorks(victim);
    expectOk(await refresh(graph, victim.refreshToken));
  });
});

describe("another member's private fields", () => {
  it.each(['sessions', 'personalAccessTokens'])('%s, reached through an organization, are FORBIDDEN', async (field) => {
    const owner = await signUp(graph);
    const colleague = await signUp(graph);
    const org = await createOrganization(graph, owner);
    await addMember(graph, org.id, colleague, 'MEMBER');
    const colleagueSessionId = await currentSessionId(graph, colleague);
    await createToken(graph, colleague, 'CI');

    const response = await graph.request<{ organization: { members: { nodes: { user: { id: string } | null }[] } } }>(
      `query($id: ID!) { organization(id: $id) { members { nodes { user { id ${field} { id } } } } } }`,
      { id: org.id },
      owner.token,
    );

    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.errors![0].path?.slice(-2)).toEqual(['user', field]);
    expect(response.errors![0].message).toMatch(/^Only you can see your/);
    expect(JSON.stringify(response.data)).not.toContain(colleagueSessionId);
    expect(JSON.stringify(response.data)).not.toContain('tok_');
  });
});

// ── Changing the password ────────────────────────────────────────────────────────────────────────

const CHANGE_PASSWORD = 'mutation($input: ChangePasswordInput!) { changePassword(input: $input) { id } }';
const changePassword = (session: SignedInUser, currentPassword: string, newPassword: string) =>
  graph.request<{ changePassword: { id: string } }>(CHANGE_PASSWORD, { input: { currentPassword, newPassword } }, session.token);

describe('changing the password', () => {
  it('with a wrong current password is BAD_USER_INPUT on currentPassword, and changes nothing', async () => {
    const session = await signUp(graph);
    const response = await changePassword(session, 'not my password', 'a brand new secret');
    expect(response.data).toBeNull();
    expect(expectError(response, 'BAD_USER_INPUT', 'currentPassword')).toBe('The current password is incorrect.');
    expectOk(await attemptLogIn(graph, session.email, session.password));
  });

  it('to a common password is BAD_USER_INPUT on newPassword, and changes nothing', async () => {
    const session = await signUp(graph);
    const response = await changePassword(session, session.password, 'password123');
    expect(response.data).toBeNull();
    expect(expectError(response, 'BAD_USER_INPUT', 'newPassword')).toMatch(/most common/);
    expectOk(await attemptLogIn(graph, session.email, session.password));
  });

  it('ends the other sessions, keeps this one, and only the new password logs in', async () => {
    const laptop = await signUp(graph);
    const phone = await logIn(graph, laptop);
    const newPassword = 'a brand new secret';

    expect(expectOk(await changePassword(laptop, laptop.password, newPassword)).changePassword).toEqual({ id: laptop.id });

    await expectEnded(phone);
    await expectWorks(laptop);
    expectOk(await refresh(graph, laptop.refreshToken));
    expect(expectError(await attemptLogIn(graph, laptop.email, laptop.password), 'UNAUTHENTICATED')).toBe('The email or password is incorrect.');
    expect(expectOk(await attemptLogIn(graph, laptop.email, newPassword)).logIn.user.id).toBe(laptop.id);
  });
});

// ── Identity's own check ─────────────────────────────────────────────────────────────────────────

// Product bug: when the gateway still trusts the token from its cache, identity refuses it while building the
// request context; Apollo answers that with HTTP 500, and the gateway turns it into INTERNAL_SERVER_ERROR
// ("Something went wrong on our side") instead of UNAUTHENTICATED.
describe('identity refuses an ended session at once, with UNAUTHENTICATED, even while the gateway still trusts it', () => {
  const ways: [string, (session: SignedInUser) => Promise<void>][] = [
    ['logging out', async (session) => void expectOk(await logOut(graph, session))],
    [
      'revoking it from another session',
      async (session) => {
        const other = await logIn(graph, session);
        expectOk(await revokeSession(graph, other, await currentSessionId(graph, session)));
      },
    ],
    [
      'reusing a traded refresh token',
      async (session) => {
        expectOk(await refresh(graph, session.refreshToken));
        expectError(await refresh(graph, session.refreshToken), 'UNAUTHENTICATED');
      },
    ],
    [
      'changing the password from another session',
      async (session) => {
        const other = await logIn(graph, session);
        expectOk(await changePassword(other, session.password, 'a brand new secret'));
      },
    ],
  ];

  it.each(ways)('after %s', async (_way, end) => {
    const session = await signUp(graph);
    await expectWorks(session); // the gateway now holds a fresh "active" answer for this session
    await end(session);
    expectError(await viewer(graph, session.token), 'UNAUTHENTICATED');
  });
});
