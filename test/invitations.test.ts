// Invitations through the gateway, with a real SMTP server: the email and its link, accepting as the verified invitee,
// replacing, resending, revoking, expiry, every refusal reason, the double acceptance, allowed email domains, custom
// roles, quotas, and another organization's invitations.
import { hashSecret, identityEndpoints, ROUTER_SECRET_HEADER } from '@orgapi/shared';
import {
  addMember,
  attemptSignUp,
  codes,
  createOrganization,
  createRole,
  expectError,
  expectOk,
  logIn,
  PASSWORD,
  signUp,
  startGraph,
  startMailbox,
  tokenIn,
  unique,
  withConnection,
  type CreatedOrganization,
  type DeliveredEmail,
  type GraphQLResponse,
  type Mailbox,
  type SignedInUser,
  type TestGraph,
} from './harness';

const APP_URL = 'https://app.example.test/console';
// Above what the shared organization accumulates over the file, so only the quota test meets it.
const PENDING_LIMIT = 30;

let mailbox: Mailbox;
let graph: TestGraph;
beforeAll(async () => {
  mailbox = await startMailbox();
  graph = await startGraph({ env: { SMTP_URL: mailbox.url, APP_URL, MAIL_RETRY_BASE_SECONDS: '0.2', MAX_PENDING_INVITATIONS_PER_ORGANIZATION: String(PENDING_LIMIT) } });
});
afterAll(async () => {
  await graph?.stop();
  await mailbox?.stop();
});

interface Invitation {
  id: string;
  email: string;
  role: string;
  status: string;
  expiresAt: string;
  customRole: { id: string } | null;
  organization: { id: string; name: string };
}
const INVITATION = 'id email role status expiresAt createdAt customRole { id } invitedBy { id } organization { id name }';

const attemptInvite = (caller: { token: string }, input: { organizationId: string; email: string; role?: string; roleId?: string }) =>
  graph.request<{ inviteMember: { invitation: Invitation; acceptUrl: string } }>(
    `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { acceptUrl invitation { ${INVITATION} } } }`,
    { input },
    caller.token,
  );
const invite = async (caller: { token: string }, input: { organizationId: string; email: string; role?: string; roleId?: string }) =>
  expectOk(await attemptInvite(caller, input)).inviteMember;
const resend = (caller: { token: string }, invitationId: string) =>
  graph.request<{ resendInvitation: { invitation: Invitation; acceptUrl: string } }>(
    `mutation($input: ResendInvitationInput!) { resendInvitation(input: $input) { acceptUrl invitation { ${INVITATION} } } }`,
    { input: { invitationId } },
    caller.token,
  );
const revoke = (caller: { token: string }, invitationId: string) =>
  graph.request<{ revokeInvitation: Invitation }>(`mutation($input: RevokeInvitationInput!) { revokeInvitation(input: $input) { ${INVITATION} } }`, { input: { invitationId } }, caller.token);
const accept = (caller: { token: string }, token: string) =>
  graph.request<{ acceptInvitation: { id: string; role: string; customRole: { id: string } | null; organization: { id: string } } }>(
    'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { id role customRole { id } organization { id } } }',
    { input: { token } },
    caller.token,
  );
const decline = (caller: { token: string }, token: string) =>
  graph.request<{ declineInvitation: Invitation }>(`mutation($input: DeclineInvitationInput!) { declineInvitation(input: $input) { ${INVITATION} } }`, { input: { token } }, caller.token);
const invitationsOf = async (caller: { token: string }, organizationId: string, status?: string) =>
  expectOk(
    await graph.request<{ organization: { invitations: { totalCount: number; nodes: Invitation[] } } }>(
      `query($id: ID!, $status: InvitationStatus) { organization(id: $id) { invitations(first: 100, status: $status) { totalCount nodes { ${INVITATION} } } } }`,
      { id: organizationId, status: status ?? null },
      caller.token,
    ),
  ).organization.invitations;
const pendingInvitations = async (caller: { token: string }) =>
  expectOk(await graph.request<{ viewer: { pendingInvitations: Invitation[] } }>(`{ viewer { pendingInvitations { ${INVITATION} } } }`, {}, caller.token)).viewer.pendingInvitations;
const viewerRole = async (caller: { token: string }, organizationId: string) =>
  (await graph.request<{ organization: { viewerRole: string } | null }>('query($id: ID!) { organization(id: $id) { viewerRole } }', { id: organizationId }, caller.token)).data?.organization
    ?.viewerRole ?? null;

/** The refusal's `extensions.reason`, once checked to be the one error, with this code, on `token`. */
function reasonOf(response: GraphQLResponse<unknown>, code: string): unknown {
  expectError(response, code, 'token');
  return response.errors![0].extensions?.reason;
}

const freshAddress = (name = 'invitee') => `${unique(name)}@example.com`;

/** The email to `address` whose subject starts with `subject`, after the `seen` ones before it, waiting for it. */
async function emailTo(address: string, subject: string, seen = 0): Promise<DeliveredEmail> {
  const started = Date.now();
  for (;;) {
    const emails = mailbox.sentTo(address).filter((email) => email.subject.startsWith(subject));
    if (emails.length > seen) return emails[seen];
    if (Date.now() - started > 10_000) throw new Error(`No email "${subject}" to ${address} (${seen} seen before)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const invitationEmailTo = (address: string, seen = 0) => emailTo(address, 'You are invited', seen);

/** Signs up with `email` (in whatever case), verifies the address by the link identity emails, and signs in afresh. */
async function verifiedUser(email: string, name = 'Invitee'): Promise<SignedInUser> {
  const user = await unverifiedUser(email, name);
  await verify(user);
  return logIn(graph, user);
}

async function unverifiedUser(email: string, name = 'Invitee'): Promise<SignedInUser> {
  const payload = expectOk(await attemptSignUp(graph, { email, password: PASSWORD, name })).signUp;
  return { id: payload.user.id, email: payload.user.email, password: PASSWORD, token: payload.accessToken, refreshToken: payload.refreshToken };
}

async function verify(user: SignedInUser): Promise<void> {
  const confirm = await emailTo(user.email, 'Confirm your email address');
  expectOk(await graph.request('mutation($input: VerifyEmailInput!) { verifyEmail(input: $input) { id } }', { input: { token: tokenIn(confirm) } }));
}

/** Rows of organizations' own outbox, as an operator would look at them. */
const outboxTo = (email: string) =>
  withConnection(graph.databaseUrl, async (client) => {
    const { rows } = await client.query('SELECT kind, status, text_body FROM organizations.outbox WHERE recipient = $1 ORDER BY id', [email]);
    return rows as { kind: string; status: string; text_body: string | null }[];
  });

const tokenOf = (acceptUrl: string) => new URL(acceptUrl).searchParams.get('token')!;

let owner: SignedInUser;
let org: CreatedOrganization;
beforeAll(async () => {
  owner = await signUp(graph, 'Olive Owner');
  org = await createOrganization(graph, owner, 'Invite Co');
});

describe('inviting someone', () => {
  it('emails them a link; once their address is verified they accept it and are a member with that role', async () => {
    const address = freshAddress();
    const { invitation, acceptUrl } = await invite(owner, { organizationId: org.id, email: `  ${address.toUpperCase()} `, role: 'ADMIN' });
    expect(invitation).toMatchObject({ id: expect.stringMatching(/^inv_/), email: address, role: 'ADMIN', status: 'PENDING', customRole: null, organization: { id: org.id, name: 'Invite Co' } });
    const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect(acceptUrl).toMatch(new RegExp(`^${APP_URL}/invitations/accept\\?token=[\\w-]{43}$`));

    const email = await invitationEmailTo(address);
    expect(email.subject).toBe('You are invited to join Invite Co');
    expect(email.text).toContain(`${owner.email} invited you to join Invite Co as ADMIN.`);
    expect(email.text).toContain(`Join Invite Co: ${acceptUrl}`);
    expect(email.text).toContain('The link works once, for 7 days.');
    expect(tokenIn(email)).toBe(tokenOf(acceptUrl));
    // Delivered, organizations' outbox no longer holds the link.
    expect(await outboxTo(address)).toEqual([{ kind: 'invitation', status: 'sent', text_body: null }]);

    // Signed up with the address, but not yet proven to read mail there: nothing listed, acceptance refused.
    const invitee = await unverifiedUser(address.toUpperCase());
    expect(await pendingInvitations(invitee)).toEqual([]);
    expect(reasonOf(await accept(invitee, tokenIn(email)), 'FORBIDDEN')).toBe('email_unverified');

    await verify(invitee);
    const verified = await logIn(graph, invitee);
    expect(await pendingInvitations(verified)).toEqual([expect.objectContaining({ id: invitation.id, status: 'PENDING', organization: { id: org.id, name: 'Invite Co' } })]);
    // The acceptUrl is shown once: the invitation read later carries no link or token.
    const listed = await invitationsOf(owner, org.id);
    expect(JSON.stringify(listed)).not.toContain(tokenIn(email));

    const membership = expectOk(await accept(verified, tokenIn(email))).acceptInvitation;
    expect(membership).toMatchObject({ id: expect.stringMatching(/^mem_/), role: 'ADMIN', customRole: null, organization: { id: org.id } });
    expect(await viewerRole(verified, org.id)).toBe('ADMIN');
    expect(await pendingInvitations(verified)).toEqual([]);
    expect((await invitationsOf(owner, org.id, 'ACCEPTED')).nodes.map((i) => i.id)).toContain(invitation.id);

    // The audit log tells the story, without the token or the link.
    const audit = expectOk(
      await graph.request<{ organization: { auditEvents: { nodes: { action: string; target: { id: string }; after: unknown }[] } } }>(
        'query($id: ID!) { organization(id: $id) { auditEvents(first: 100) { nodes { action target { id } before after } } } }',
        { id: org.id },
        owner.token,
      ),
    ).organization.auditEvents.nodes;
    const actions = audit.filter((event) => event.target.id === invitation.id || event.target.id === membership.id).map((event) => event.action);
    expect(actions).toEqual(['member.added', 'invitation.accepted', 'invitation.created']);
    expect(JSON.stringify(audit)).not.toContain(tokenIn(email));
    expect(JSON.stringify(audit)).not.toContain('invitations/accept');
  });

  it('again, to an address with a pending invitation, replaces it: the old link is dead, the new one works', async () => {
    const address = freshAddress();
    const first = await invite(owner, { organizationId: org.id, email: address, role: 'VIEWER' });
    const second = await invite(owner, { organizationId: org.id, email: address, role: 'MEMBER' });
    expect(second.invitation.id).not.toBe(first.invitation.id);
    expect(tokenIn(await invitationEmailTo(address, 1))).toBe(tokenOf(second.acceptUrl));

    const pending = await invitationsOf(owner, org.id, 'PENDING');
    expect(pending.nodes.filter((i) => i.email === address).map((i) => i.id)).toEqual([second.invitation.id]);
    expect((await invitationsOf(owner, org.id, 'REVOKED')).nodes.map((i) => i.id)).toContain(first.invitation.id);

    const invitee = await verifiedUser(address);
    expect(reasonOf(await accept(invitee, tokenOf(first.acceptUrl)), 'BAD_USER_INPUT')).toBe('revoked');
    expect(await viewerRole(invitee, org.id)).toBeNull();
    expect(expectOk(await accept(invitee, tokenOf(second.acceptUrl))).acceptInvitation.role).toBe('MEMBER');
  });

  it('twice at the same moment to one address: both answer, one invitation stays pending, only its link works', async () => {
    const address = freshAddress();
    const answers = await Promise.all([
      attemptInvite(owner, { organizationId: org.id, email: address, role: 'VIEWER' }),
      attemptInvite(owner, { organizationId: org.id, email: address, role: 'MEMBER' }),
    ]);
    const sent = answers.map((answer) => expectOk(answer).inviteMember);
    const pending = (await invitationsOf(owner, org.id, 'PENDING')).nodes.filter((i) => i.email === address);
    expect(pending).toHaveLength(1);
    const [live] = sent.filter((one) => one.invitation.id === pending[0].id);
    const [dead] = sent.filter((one) => one.invitation.id !== pending[0].id);
    const invitee = await verifiedUser(address);
    expect(reasonOf(await accept(invitee, tokenOf(dead.acceptUrl)), 'BAD_USER_INPUT')).toBe('revoked');
    expect(expectOk(await accept(invitee, tokenOf(live.acceptUrl))).acceptInvitation.role).toBe(live.invitation.role);
  });

  it('refuses an address outside allowedEmailDomains, and takes one inside whatever its case', async () => {
    const restricted = await createOrganization(graph, owner, 'Corp Only');
    expectOk(
      await graph.request('mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id } }', {
        input: { organizationId: restricted.id, settings: { allowedEmailDomains: ['corp.example'] } },
      }, owner.token),
    );
    expectError(await attemptInvite(owner, { organizationId: restricted.id, email: freshAddress(), role: 'MEMBER' }), 'BAD_USER_INPUT', 'email');
    expectError(await attemptInvite(owner, { organizationId: restricted.id, email: `${unique('x')}@sub.corp.example`, role: 'MEMBER' }), 'BAD_USER_INPUT', 'email');
    expect((await invite(owner, { organizationId: restricted.id, email: `${unique('Ann')}@CORP.example`, role: 'MEMBER' })).invitation.email).toMatch(/@corp\.example$/);
    expect((await invitationsOf(owner, restricted.id)).totalCount).toBe(1);
  });

  it('refuses a member of the organization (CONFLICT), a malformed address, and a role that is not exactly one', async () => {
    const member = await verifiedUser(freshAddress('member'));
    await addMember(graph, org.id, member, 'VIEWER');
    expectError(await attemptInvite(owner, { organizationId: org.id, email: member.email.toUpperCase(), role: 'MEMBER' }), 'CONFLICT', 'email');
    expectError(await attemptInvite(owner, { organizationId: org.id, email: 'not an address', role: 'MEMBER' }), 'BAD_USER_INPUT', 'email');
    expectError(await attemptInvite(owner, { organizationId: org.id, email: freshAddress() }), 'BAD_USER_INPUT', 'role');
    expectError(await attemptInvite(owner, { organizationId: org.id, email: freshAddress(), role: 'MEMBER', roleId: 'role_admin' }), 'BAD_USER_INPUT', 'roleId');
    expectError(await attemptInvite(owner, { organizationId: org.id, email: freshAddress(), role: 'CUSTOM' }), 'BAD_USER_INPUT', 'role');
  });

  it('as an admin: not as an OWNER, which only owners hand out', async () => {
    const admin = await signUp(graph, 'Adam Admin');
    await addMember(graph, org.id, admin, 'ADMIN');
    const address = freshAddress();
    expectError(await attemptInvite(admin, { organizationId: org.id, email: address, role: 'OWNER' }), 'FORBIDDEN');
    expectError(await attemptInvite(admin, { organizationId: org.id, email: address, roleId: 'role_owner' }), 'FORBIDDEN');
    expect((await invite(admin, { organizationId: org.id, email: address, role: 'ADMIN' })).invitation.role).toBe('ADMIN');
    const owners = await invite(owner, { organizationId: org.id, email: address, role: 'OWNER' });
    // Nor may the admin resend or revoke the owner's OWNER invitation.
    expectError(await resend(admin, owners.invitation.id), 'FORBIDDEN');
    expectError(await revoke(admin, owners.invitation.id), 'FORBIDDEN');
  });

  it(`counts at most ${PENDING_LIMIT} pending invitations per organization (QUOTA_EXCEEDED), a replacement not counting twice`, async () => {
    const small = await createOrganization(graph, owner, 'Small');
    const addresses = Array.from({ length: PENDING_LIMIT }, () => freshAddress());
    const sent = [];
    for (const address of addresses) sent.push(await invite(owner, { organizationId: small.id, email: address, role: 'VIEWER' }));
    const refusal = await attemptInvite(owner, { organizationId: small.id, email: freshAddress(), role: 'VIEWER' });
    expectError(refusal, 'QUOTA_EXCEEDED');
    expect(refusal.errors![0].extensions?.limit).toBe(PENDING_LIMIT);
    await invite(owner, { organizationId: small.id, email: addresses[0], role: 'MEMBER' });
    expectOk(await revoke(owner, sent[1].invitation.id));
    await invite(owner, { organizationId: small.id, email: freshAddress(), role: 'VIEWER' });
    expect((await invitationsOf(owner, small.id, 'PENDING')).totalCount).toBe(PENDING_LIMIT);
  });
});

describe('resending and revoking', () => {
  it('resending sends a new link with a new expiry; the old link is dead', async () => {
    const address = freshAddress();
    const first = await invite(owner, { organizationId: org.id, email: address, role: 'VIEWER' });
    await invitationEmailTo(address);
    await withConnection(graph.databaseUrl, (client) => client.query(`UPDATE organizations.invitations SET expires_at = now() + interval '1 day' WHERE id = $1`, [first.invitation.id]));
    const again = expectOk(await resend(owner, first.invitation.id)).resendInvitation;
    expect(again.invitation).toMatchObject({ id: first.invitation.id, status: 'PENDING' });
    expect(Date.parse(again.invitation.expiresAt)).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    expect(again.acceptUrl).not.toBe(first.acceptUrl);
    expect(tokenIn(await invitationEmailTo(address, 1))).toBe(tokenOf(again.acceptUrl));

    const invitee = await verifiedUser(address);
    expect(reasonOf(await accept(invitee, tokenOf(first.acceptUrl)), 'NOT_FOUND')).toBe('not_found');
    expect(expectOk(await accept(invitee, tokenOf(again.acceptUrl))).acceptInvitation.role).toBe('VIEWER');
    // An answered invitation is not sent again, nor revoked.
    expectError(await resend(owner, first.invitation.id), 'CONFLICT');
    expectError(await revoke(owner, first.invitation.id), 'CONFLICT');
  });

  it('revoking kills the link at once', async () => {
    const address = freshAddress();
    const { invitation, acceptUrl } = await invite(owner, { organizationId: org.id, email: address, role: 'VIEWER' });
    expect(expectOk(await revoke(owner, invitation.id)).revokeInvitation.status).toBe('REVOKED');
    const invitee = await verifiedUser(address);
    expect(await pendingInvitations(invitee)).toEqual([]);
    expect(reasonOf(await accept(invitee, tokenOf(acceptUrl)), 'BAD_USER_INPUT')).toBe('revoked');
    expect(reasonOf(await decline(invitee, tokenOf(acceptUrl)), 'BAD_USER_INPUT')).toBe('revoked');
    expect(await viewerRole(invitee, org.id)).toBeNull();
  });

  it('an expired invitation is refused, listed as EXPIRED, and renewed by resending', async () => {
    const address = freshAddress();
    const { invitation, acceptUrl } = await invite(owner, { organizationId: org.id, email: address, role: 'MEMBER' });
    await withConnection(graph.databaseUrl, (client) => client.query(`UPDATE organizations.invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [invitation.id]));
    const invitee = await verifiedUser(address);
    expect(await pendingInvitations(invitee)).toEqual([]);
    expect((await invitationsOf(owner, org.id, 'EXPIRED')).nodes.map((i) => i.id)).toContain(invitation.id);
    expect((await invitationsOf(owner, org.id, 'PENDING')).nodes.map((i) => i.id)).not.toContain(invitation.id);
    expect(reasonOf(await accept(invitee, tokenOf(acceptUrl)), 'BAD_USER_INPUT')).toBe('expired');
    expect(await viewerRole(invitee, org.id)).toBeNull();

    const renewed = expectOk(await resend(owner, invitation.id)).resendInvitation;
    expect(renewed.invitation.status).toBe('PENDING');
    expect(expectOk(await accept(invitee, tokenOf(renewed.acceptUrl))).acceptInvitation.role).toBe('MEMBER');
  });
});

describe('accepting and declining', () => {
  it('refuses an unknown token, another address, a used invitation and a member, each with its reason, changing nothing', async () => {
    const address = freshAddress();
    const { invitation, acceptUrl } = await invite(owner, { organizationId: org.id, email: address, role: 'VIEWER' });
    const token = tokenOf(acceptUrl);
    const someoneElse = await verifiedUser(freshAddress('other'));
    const invitee = await verifiedUser(address);

    expect(reasonOf(await accept(invitee, 'x'.repeat(43)), 'NOT_FOUND')).toBe('not_found');
    expect(reasonOf(await accept(someoneElse, token), 'FORBIDDEN')).toBe('email_mismatch');
    expect(reasonOf(await decline(someoneElse, token), 'FORBIDDEN')).toBe('email_mismatch');
    expect(await viewerRole(someoneElse, org.id)).toBeNull();
    expect(codes(await accept({ token: '' }, token))).toEqual(['UNAUTHENTICATED']);

    // Made a member another way meanwhile: the invitation stays pending, acceptance refused.
    await addMember(graph, org.id, invitee, 'BILLING');
    expect(reasonOf(await accept(invitee, token), 'CONFLICT')).toBe('already_member');
    expect(await viewerRole(invitee, org.id)).toBe('BILLING');
    expect((await invitationsOf(owner, org.id, 'PENDING')).nodes.map((i) => i.id)).toContain(invitation.id);

    const second = await invite(owner, { organizationId: org.id, email: freshAddress(), role: 'VIEWER' });
    const secondInvitee = await verifiedUser(second.invitation.email);
    expectOk(await accept(secondInvitee, tokenOf(second.acceptUrl)));
    expect(reasonOf(await accept(secondInvitee, tokenOf(second.acceptUrl)), 'BAD_USER_INPUT')).toBe('already_used');
    expect(reasonOf(await decline(secondInvitee, tokenOf(second.acceptUrl)), 'BAD_USER_INPUT')).toBe('already_used');
  });

  it('declining marks it DECLINED, makes no member, and the link is used up', async () => {
    const address = freshAddress();
    const { invitation, acceptUrl } = await invite(owner, { organizationId: org.id, email: address, role: 'VIEWER' });
    const invitee = await verifiedUser(address);
    expect(expectOk(await decline(invitee, tokenOf(acceptUrl))).declineInvitation).toMatchObject({ id: invitation.id, status: 'DECLINED' });
    expect(reasonOf(await accept(invitee, tokenOf(acceptUrl)), 'BAD_USER_INPUT')).toBe('already_used');
    expect(await viewerRole(invitee, org.id)).toBeNull();
    expect((await invitationsOf(owner, org.id, 'DECLINED')).nodes.map((i) => i.id)).toContain(invitation.id);
  });

  it('two acceptances of one token at the same moment: exactly one wins', async () => {
    const address = freshAddress();
    const { acceptUrl } = await invite(owner, { organizationId: org.id, email: address, role: 'MEMBER' });
    const invitee = await verifiedUser(address);
    const otherDevice = await logIn(graph, invitee);
    const answers = await Promise.all([accept(invitee, tokenOf(acceptUrl)), accept(otherDevice, tokenOf(acceptUrl))]);
    const won = answers.filter((answer) => !answer.errors);
    const lost = answers.filter((answer) => answer.errors);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(reasonOf(lost[0], 'BAD_USER_INPUT')).toBe('already_used');
    const members = expectOk(
      await graph.request<{ organization: { members: { nodes: { user: { id: string } }[] } } }>(
        'query($id: ID!) { organization(id: $id) { members(first: 100) { nodes { user { id } } } } }',
        { id: org.id },
        owner.token,
      ),
    ).organization.members.nodes.filter((member) => member.user.id === invitee.id);
    expect(members).toHaveLength(1);
  });

  it("a deleted organization's invitations stop working at once, as if they never existed", async () => {
    const doomed = await createOrganization(graph, owner, 'Doomed Co');
    const address = freshAddress();
    const { acceptUrl } = await invite(owner, { organizationId: doomed.id, email: address, role: 'MEMBER' });
    const invitee = await verifiedUser(address);
    expect(await pendingInvitations(invitee)).toHaveLength(1);
    expectOk(await graph.request('mutation($input: DeleteOrganizationInput!) { deleteOrganization(input: $input) { organizationId } }', { input: { organizationId: doomed.id, confirmSlug: doomed.slug } }, owner.token));
    expect(await pendingInvitations(invitee)).toEqual([]);
    expect(reasonOf(await accept(invitee, tokenOf(acceptUrl)), 'NOT_FOUND')).toBe('not_found');
  });

  it('a viewer sees only their own pending invitations', async () => {
    const other = await verifiedUser(freshAddress('other'));
    const response = await graph.request(
      'query($id: ID!) { organization(id: $id) { members(first: 100) { nodes { user { id pendingInvitations { id } } } } } }',
      { id: org.id },
      owner.token,
    );
    expect(codes(response)?.every((code) => code === 'FORBIDDEN')).toBe(true);
    expect(await pendingInvitations(other)).toEqual([]);
  });
});

describe('custom roles', () => {
  it('an invitation with a custom role gives it on acceptance, and blocks deleting the role while pending', async () => {
    const roleId = await createRole(graph, owner, org.id, ['members:read', 'projects:read']);
    const address = freshAddress();
    const { invitation, acceptUrl } = await invite(owner, { organizationId: org.id, email: address, roleId });
    expect(invitation).toMatchObject({ role: 'CUSTOM', customRole: { id: roleId } });
    expect((await invitationEmailTo(address)).text).toMatch(/as role-/);

    const deleteRole = () => graph.request('mutation($input: DeleteRoleInput!) { deleteRole(input: $input) { roleId } }', { input: { roleId } }, owner.token);
    expect(expectError(await deleteRole(), 'CONFLICT', 'roleId')).toMatch(/pending invitation/);

    const invitee = await verifiedUser(address);
    expect(expectOk(await accept(invitee, tokenOf(acceptUrl))).acceptInvitation).toMatchObject({ role: 'CUSTOM', customRole: { id: roleId } });
    expect(expectError(await deleteRole(), 'CONFLICT', 'roleId')).toMatch(/held by 1 member/);

    // Once neither a member nor a pending invitation holds it, the role goes; the answered invitation forgets it.
    expectOk(await graph.request('mutation($input: RemoveMemberInput!) { removeMember(input: $input) { id } }', { input: { membershipId: await memberId(invitee.id) } }, owner.token));
    const revokedOne = await invite(owner, { organizationId: org.id, email: freshAddress(), roleId });
    expectOk(await revoke(owner, revokedOne.invitation.id));
    expectOk(await deleteRole());
    expect((await invitationsOf(owner, org.id, 'REVOKED')).nodes.find((i) => i.id === revokedOne.invitation.id)).toMatchObject({ role: 'CUSTOM', customRole: null });
  });

  it('a role of another organization is NOT_FOUND, as a made-up one', async () => {
    const other = await signUp(graph, 'Other Owner');
    const otherOrg = await createOrganization(graph, other, 'Other Co');
    const theirRole = await createRole(graph, other, otherOrg.id, ['members:read']);
    expectError(await attemptInvite(owner, { organizationId: org.id, email: freshAddress(), roleId: theirRole }), 'NOT_FOUND');
  });
});

describe("another organization's invitations", () => {
  it('answer exactly as invitations that never existed, and stay as they were', async () => {
    const outsider = await signUp(graph, 'Outsider');
    await createOrganization(graph, outsider, 'Outside Co');
    const { invitation } = await invite(owner, { organizationId: org.id, email: freshAddress(), role: 'VIEWER' });
    const made = 'inv_01h455vb4pex5vsknk084sn02q';
    expect(await resend(outsider, invitation.id)).toEqual(await resend(outsider, made));
    expect(await revoke(outsider, invitation.id)).toEqual(await revoke(outsider, made));
    expect(codes(await revoke(outsider, invitation.id))).toEqual(['NOT_FOUND']);
    expect(codes(await attemptInvite(outsider, { organizationId: org.id, email: freshAddress(), role: 'VIEWER' }))).toEqual(['NOT_FOUND']);
    expect((await invitationsOf(owner, org.id, 'PENDING')).nodes.find((i) => i.id === invitation.id)?.status).toBe('PENDING');
  });
});

/** The membership ID of `userId` in the shared organization, as its owner reads it. */
async function memberId(userId: string): Promise<string> {
  const nodes = expectOk(
    await graph.request<{ organization: { members: { nodes: { id: string; user: { id: string } }[] } } }>(
      'query($id: ID!) { organization(id: $id) { members(first: 100) { nodes { id user { id } } } } }',
      { id: org.id },
      owner.token,
    ),
  ).organization.members.nodes;
  return nodes.find((node) => node.user.id === userId)!.id;
}

// The token is kept only as its SHA-256: the table holds nothing a reader could use.
it('stores no token, only its hash', async () => {
  const { invitation, acceptUrl } = await invite(owner, { organizationId: org.id, email: freshAddress(), role: 'VIEWER' });
  const rows = await withConnection(graph.databaseUrl, async (client) => (await client.query('SELECT * FROM organizations.invitations WHERE id = $1', [invitation.id])).rows);
  expect(rows[0].token_hash).toEqual(hashSecret(tokenOf(acceptUrl)));
  expect(JSON.stringify(rows)).not.toContain(tokenOf(acceptUrl));
});

describe("identity's user lookup, which organizations asks whether an invited address is a member's", () => {
  const lookUp = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(identityEndpoints(graph.subgraphs.identity.port).USER_LOOKUP_URL, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('answers only a router, with the users that have the addresses', async () => {
    const user = await signUp(graph, 'Looked Up');
    expect((await lookUp({ emails: [user.email] })).status).toBeGreaterThanOrEqual(400);
    const answer = await lookUp({ emails: [` ${user.email.toUpperCase()}`, freshAddress()] }, { [ROUTER_SECRET_HEADER]: graph.routerSecret });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ users: [{ id: user.id, email: user.email }] });
    const bad = await lookUp({ emails: ['not an address'] }, { [ROUTER_SECRET_HEADER]: graph.routerSecret });
    expect(bad.status).toBe(400);
  });
});
