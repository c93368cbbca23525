// Email through a real SMTP server: signing up sends a verification link, a forgotten password is reset by link,
// links work once and expire, asking never tells which addresses have accounts, an email commits with its change,
// and a refused delivery is retried.
import { CredentialVerifier, hashSecret, identityEndpoints } from '@orgapi/shared';
import {
  attemptLogIn,
  attemptSignUp,
  createToken,
  eventually,
  expectError,
  expectOk,
  logIn,
  PASSWORD,
  refresh,
  signUp,
  startGraph,
  startIdentityReplica,
  startMailbox,
  tokenIn,
  unique,
  untilRefused,
  viewer,
  withConnection,
  type GraphQLResponse,
  type Mailbox,
  type SignedInUser,
  type TestGraph,
} from './harness';

const APP_URL = 'https://app.example.test/console';

let mailbox: Mailbox;
let graph: TestGraph;
beforeAll(async () => {
  mailbox = await startMailbox();
  // Retries a fifth of a second after a refusal, so the retry test need not wait half a minute.
  graph = await startGraph({ env: { SMTP_URL: mailbox.url, APP_URL, MAIL_FROM: 'Acme <no-reply@acme.example>', MAIL_RETRY_BASE_SECONDS: '0.2' } });
});
afterAll(async () => {
  await graph?.stop();
  await mailbox?.stop();
});

interface EmailLink {
  sentTo: string;
  expiresAt: string;
}
interface VerifiedUser {
  id: string;
  email: string;
  emailVerified: boolean;
  emailVerifiedAt: string | null;
}
const USER = 'id email emailVerified emailVerifiedAt';

const requestEmailVerification = (user: { token: string }) =>
  graph.request<{ requestEmailVerification: EmailLink }>('mutation { requestEmailVerification { sentTo expiresAt } }', {}, user.token);
const verifyEmail = (token: string) =>
  graph.request<{ verifyEmail: VerifiedUser }>(`mutation($input: VerifyEmailInput!) { verifyEmail(input: $input) { ${USER} } }`, { input: { token } });
const requestPasswordReset = (email: string) =>
  graph.request<{ requestPasswordReset: EmailLink }>('mutation($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { sentTo expiresAt } }', {
    input: { email },
  });
const resetPassword = (token: string, newPassword: string) =>
  graph.request<{ resetPassword: VerifiedUser }>(`mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { ${USER} } }`, {
    input: { token, newPassword },
  });
const me = async (user: { token: string }) => expectOk(await graph.request<{ viewer: VerifiedUser }>(`{ viewer { ${USER} } }`, {}, user.token)).viewer;

/** The error's `extensions.reason`, once the error is checked to be the one clear BAD_USER_INPUT on the token. */
function refusalReason(response: GraphQLResponse<unknown>): unknown {
  expectError(response, 'BAD_USER_INPUT', 'token');
  return response.errors![0].extensions?.reason;
}

/** The outbox rows queued to an address, as an operator would look at them. */
const outboxTo = (email: string) =>
  withConnection(graph.databaseUrl, async (client) => {
    const { rows } = await client.query('SELECT kind, status, attempts, last_error, text_body FROM identity.outbox WHERE recipient = $1 ORDER BY id', [email]);
    return rows as { kind: string; status: string; attempts: number; last_error: string | null; text_body: string | null }[];
  });

/** Moves a link's expiry into the past, as if its lifetime had gone by. */
const expireLink = (token: string) =>
  withConnection(graph.databaseUrl, (client) => client.query(`UPDATE identity.email_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hashSecret(token)]));

/** Where the other services ask identity about credentials. */
const urlsOf = (port: number) => {
  const endpoints = identityEndpoints(port);
  return { jwksUrl: endpoints.JWKS_URL, introspectionUrl: endpoints.INTROSPECTION_URL };
};

/** A new user, and the token of the verification email signing up sent them. */
async function signUpAndReadVerification(): Promise<{ user: SignedInUser; token: string }> {
  const user = await signUp(graph, 'Mail Reader');
  return { user, token: tokenIn(await mailbox.nextTo(user.email)) };
}

describe('email verification', () => {
  it('signing up sends a link to the frontend; using it verifies the address, once', async () => {
    const user = await signUp(graph, 'Ada <b>Lovelace</b>');
    expect(await me(user)).toEqual({ id: user.id, email: user.email, emailVerified: false, emailVerifiedAt: null });

    const email = await mailbox.nextTo(user.email);
    expect(email).toMatchObject({ from: '"Acme" <no-reply@acme.example>', subject: 'Confirm your email address' });
    expect(email.text).toMatch(new RegExp(`^Confirm email address: ${APP_URL}/verify-email\\?token=[\\w-]{43}$`, 'm'));
    expect(email.text).toContain('The link works once, for 24 hours.');
    expect(email.html).toContain(`href="${APP_URL}/verify-email?token=${tokenIn(email)}"`);
    expect(email.html).toContain('Hi Ada &lt;b&gt;Lovelace&lt;/b&gt;,');
    // Delivered, the outbox row no longer holds the link.
    expect(await outboxTo(user.email)).toEqual([{ kind: 'email_verification', status: 'sent', attempts: 1, last_error: null, text_body: null }]);

    // The link may be opened anywhere: no sign-in needed, the token is the proof.
    const verified = expectOk(await verifyEmail(tokenIn(email))).verifyEmail;
    expect(verified).toEqual({ id: user.id, email: user.email, emailVerified: true, emailVerifiedAt: expect.any(String) });
    expect(await me(user)).toEqual(verified);

    expect(refusalReason(await verifyEmail(tokenIn(email)))).toBe('used');
    expect(await me(user)).toEqual(verified);
  });

  it('an expired link is refused and verifies nothing', async () => {
    const { user, token } = await signUpAndReadVerification();
    await expireLink(token);
    expect(refusalReason(await verifyEmail(token))).toBe('expired');
    expect((await me(user)).emailVerified).toBe(false);
  });

  it.each([
    ['unknown', 'x'.repeat(43)],
    ['mangled', 'not a token'],
  ])('an %s token is invalid', async (_kind, token) => {
    expect(refusalReason(await verifyEmail(token))).toBe('invalid');
  });

  it('asking again sends a new link and kills the previous one; a verified address needs none', async () => {
    const { user, token: first } = await signUpAndReadVerification();
    const requestedAt = Date.now();
    const link = expectOk(await requestEmailVerification(user)).requestEmailVerification;
    expect(link.sentTo).toBe(user.email);
    expect(Date.parse(link.expiresAt) - requestedAt).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(Date.parse(link.expiresAt) - requestedAt).toBeLessThan(24 * 3600_000 + 60_000);
    const second = tokenIn(await mailbox.nextTo(user.email, 1));

    expect(refusalReason(await verifyEmail(first))).toBe('invalid');
    expect(expectOk(await verifyEmail(second)).verifyEmail.emailVerified).toBe(true);
    expect(expectError(await requestEmailVerification(user), 'CONFLICT')).toMatch(/verified already/);
  });

  it('asking needs a signed-in caller', async () => {
    expectError(await graph.request('mutation { requestEmailVerification { sentTo } }'), 'UNAUTHENTICATED');
  });

  it("other services learn the caller's address and whether it is verified, for sessions and personal access tokens", async () => {
    const { user, token } = await signUpAndReadVerification();
    const pat = await createToken(graph, user);
    const identity = graph.subgraphs.identity;
    // What organizations and billing run: the JWKS and the introspection endpoint of identity (here uncached).
    const verifier = CredentialVerifier.remote({ ...urlsOf(identity.port), routerSecret: graph.routerSecret, cacheSeconds: 0 });
    const callers = () => Promise.all([verifier.verify(`Bearer ${user.token}`), verifier.verify(`Bearer ${pat.secret}`)]);

    expect(await callers()).toEqual([
      expect.objectContaining({ userId: user.id, kind: 'session', email: user.email, emailVerified: false }),
      expect.objectContaining({ userId: user.id, kind: 'personal_access_token', email: user.email, emailVerified: false }),
    ]);
    expectOk(await verifyEmail(token));
    expect((await callers()).map((principal) => principal?.emailVerified)).toEqual([true, true]);
  });
});

describe('password reset', () => {
  const NEW_PASSWORD = 'a brand new passphrase';

  /** A user with a second session, who has read their verification email, and the token of a reset link. */
  async function forgetful(): Promise<{ user: SignedInUser; other: SignedInUser; token: string }> {
    const { user } = await signUpAndReadVerification();
    const other = await logIn(graph, user);
    expectOk(await requestPasswordReset(user.email.toUpperCase()));
    const email = await mailbox.nextTo(user.email, 1);
    expect(email.subject).toBe('Reset your password');
    expect(email.text).toMatch(new RegExp(`^Choose a new password: ${APP_URL}/reset-password\\?token=`, 'm'));
    return { user, other, token: tokenIn(email) };
  }

  it('answers the same, as slowly, whether or not an account has the address, and emails only an account', async () => {
    const { user } = await signUpAndReadVerification();
    const stranger = `${unique('nobody')}@example.com`;
    const timed = async (email: string) => {
      const started = Date.now();
      const response = await requestPasswordReset(email);
      return { answer: expectOk(response).requestPasswordReset, ms: Date.now() - started };
    };
    const unknown = await timed(stranger);
    const known = await timed(user.email);

    expect(Object.keys(unknown.answer)).toEqual(Object.keys(known.answer));
    expect(unknown.answer.sentTo).toBe(stranger);
    expect(known.answer.sentTo).toBe(user.email);
    expect(Math.abs(Date.parse(unknown.answer.expiresAt) - Date.parse(known.answer.expiresAt))).toBeLessThan(60_000);
    // Both take at least the same floor, far above the work for an account.
    for (const { ms } of [unknown, known]) expect(ms).toBeGreaterThanOrEqual(240);

    // The known address's email arrived; the unknown one, asked for first, never was queued.
    await mailbox.nextTo(user.email, 1);
    expect(mailbox.sentTo(stranger)).toEqual([]);
    expect(await outboxTo(stranger)).toEqual([]);
  });

  it('sets the new password, verifies the address, ends every session, and the link dies', async () => {
    const { user, other, token } = await forgetful();
    const reset = expectOk(await resetPassword(token, NEW_PASSWORD)).resetPassword;
    expect(reset).toMatchObject({ id: user.id, email: user.email, emailVerified: true });

    for (const session of [user, other]) {
      expectError(await untilRefused(() => viewer(graph, session.token)), 'UNAUTHENTICATED');
      expectError(await refresh(graph, session.refreshToken), 'UNAUTHENTICATED');
    }
    expectError(await attemptLogIn(graph, user.email, PASSWORD), 'UNAUTHENTICATED');
    const fresh = await logIn(graph, { email: user.email, password: NEW_PASSWORD });
    expect(await me(fresh)).toMatchObject({ id: user.id, emailVerified: true });

    expect(refusalReason(await resetPassword(token, 'yet another passphrase'))).toBe('used');
    await logIn(graph, { email: user.email, password: NEW_PASSWORD });
  });

  it('one link sets one password, however many use it at the same moment', async () => {
    const { user, token } = await forgetful();
    const passwords = ['first concurrent passphrase', 'second concurrent passphrase', 'third concurrent passphrase'];
    const answers = await Promise.all(passwords.map((password) => resetPassword(token, password)));
    const won = answers.flatMap((answer, i) => (answer.errors ? [] : [passwords[i]]));
    expect(won).toHaveLength(1);
    for (const answer of answers.filter((a) => a.errors)) expect(refusalReason(answer)).toBe('used');
    await logIn(graph, { email: user.email, password: won[0] });
  });

  it('an expired link is refused and changes nothing', async () => {
    const { user, token } = await forgetful();
    await expireLink(token);
    expect(refusalReason(await resetPassword(token, NEW_PASSWORD))).toBe('expired');
    expect((await me(user)).emailVerified).toBe(false);
    await logIn(graph, user);
  });

  it('holds the new password to the sign-up policy, and a refused password leaves the link usable', async () => {
    const { user, token } = await forgetful();
    expectError(await resetPassword(token, 'password'), 'BAD_USER_INPUT', 'newPassword');
    expectError(await resetPassword(token, user.email.toUpperCase()), 'BAD_USER_INPUT', 'newPassword');
    await logIn(graph, user);
    expectOk(await resetPassword(token, NEW_PASSWORD));
  });

  it('a verification link is not a reset link, nor the other way round', async () => {
    const { user, token: verification } = await signUpAndReadVerification();
    expectOk(await requestPasswordReset(user.email));
    const reset = tokenIn(await mailbox.nextTo(user.email, 1));
    expect(refusalReason(await resetPassword(verification, NEW_PASSWORD))).toBe('invalid');
    expect(refusalReason(await verifyEmail(reset))).toBe('invalid');
  });

  it('asking again kills the previous link', async () => {
    const { user, token: first } = await forgetful();
    expectOk(await requestPasswordReset(user.email));
    const second = tokenIn(await mailbox.nextTo(user.email, 2));
    expect(refusalReason(await resetPassword(first, NEW_PASSWORD))).toBe('invalid');
    expectOk(await resetPassword(second, NEW_PASSWORD));
  });

  it('limits requests for one address, whether or not it has an account', async () => {
    for (const email of [`${unique('nobody')}@example.com`, (await signUp(graph)).email]) {
      for (let i = 0; i < 3; i++) expectOk(await requestPasswordReset(email));
      const response = await requestPasswordReset(email);
      expect(expectError(response, 'RATE_LIMITED')).toMatch(/^Too many password reset emails for this address \(at most 3 in 1 hour\)/);
      expect(response.errors![0].extensions?.retryAfterSeconds).toBeGreaterThan(3000);
    }
  });
});

describe('the outbox', () => {
  it('an email commits with its change: a sign-up that fails after queueing its email sends nothing', async () => {
    const email = `${unique('doomed')}@example.com`;
    await withConnection(graph.databaseUrl, (client) =>
      client.query(`
        CREATE FUNCTION identity.refuse_test_session() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.user_agent = 'refuse-me' THEN RAISE EXCEPTION 'session refused by the test'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_test_session BEFORE INSERT ON identity.sessions FOR EACH ROW EXECUTE FUNCTION identity.refuse_test_session();`),
    );
    try {
      // Sign-up writes the user, then its verification email, then the session, which the trigger refuses.
      const response = await attemptSignUp(graph, { email, password: PASSWORD, name: 'Doomed' }, { 'user-agent': 'refuse-me' });
      expect(response.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await withConnection(graph.databaseUrl, (client) =>
        client.query('DROP TRIGGER refuse_test_session ON identity.sessions; DROP FUNCTION identity.refuse_test_session()'),
      );
    }
    expect(await outboxTo(email)).toEqual([]);
    const users = await withConnection(graph.databaseUrl, (client) => client.query('SELECT 1 FROM identity.users WHERE email = $1', [email]));
    expect(users.rowCount).toBe(0);

    // Signing up again works, and only that sign-up's email arrives.
    expectOk(await attemptSignUp(graph, { email, password: PASSWORD, name: 'Second try' }));
    await mailbox.nextTo(email);
    expect(mailbox.sentTo(email)).toHaveLength(1);
  });

  it('workers of several replicas share the outbox and send each email once', async () => {
    const replica = await startIdentityReplica(graph, { SMTP_URL: mailbox.url, APP_URL });
    try {
      const users = await Promise.all(Array.from({ length: 6 }, async () => (await signUpAndReadVerification()).user));
      await Promise.all(users.map(async (user) => expectOk(await requestEmailVerification(user))));
      await Promise.all(users.map((user) => mailbox.nextTo(user.email, 1)));
      // Time for a second copy to arrive, were one on its way.
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const user of users) expect(mailbox.sentTo(user.email)).toHaveLength(2);
    } finally {
      await replica.stop();
    }
  });

  it('a delivery the server refuses for now is retried, and arrives', async () => {
    const { user } = await signUpAndReadVerification();
    mailbox.refuse(user.email, 1, 451);
    expectOk(await requestEmailVerification(user));
    const email = await mailbox.nextTo(user.email, 1);
    expect(email.subject).toBe('Confirm your email address');
    expect((await outboxTo(user.email))[1]).toEqual({ kind: 'email_verification', status: 'sent', attempts: 2, last_error: null, text_body: null });
  });

  it('a delivery the server refuses for good is not retried, and is marked failed', async () => {
    const { user } = await signUpAndReadVerification();
    mailbox.refuse(user.email, 1, 550);
    expectOk(await requestEmailVerification(user));
    const rows = await eventually(() => outboxTo(user.email), (queued) => queued[1]?.status !== 'pending', 10_000);
    expect(rows[1]).toMatchObject({ kind: 'email_verification', status: 'failed', attempts: 1, last_error: expect.stringContaining('550') });
    expect(mailbox.sentTo(user.email)).toHaveLength(1);
  });
});
