// Verified domains through the gateway, with a real DNS server the test starts: a claimed domain is proven by its TXT
// record, one organization at most holds it, people at it are suggested the organization and ask to join, and admins
// approve, decline or see the request withdrawn.
import { newId, ROUTER_SECRET_HEADER } from '@orgapi/shared';
import { organizationsInvitingByDomain } from '@orgapi/organizations';
import { seedDemo } from '../scripts/src/seed';
import {
  addDomain,
  addMember,
  attemptAddDomain,
  attemptRequestToJoin,
  attemptVerifyDomain,
  codes,
  createOrganization,
  expectError,
  expectOk,
  logIn,
  requestToJoin,
  setEnrollmentMode,
  signUp,
  signUpAt,
  startDnsServer,
  startGraph,
  startMailbox,
  tokenIn,
  unique,
  verifiedDomain,
  verifiedUserAt,
  type CreatedOrganization,
  type DnsServer,
  type GraphQLResponse,
  type Mailbox,
  type SignedInUser,
  type TestGraph,
} from './harness';

const DOMAINS_QUOTA = 4;

let dns: DnsServer;
let mailbox: Mailbox;
let graph: TestGraph;
beforeAll(async () => {
  dns = await startDnsServer();
  mailbox = await startMailbox();
  graph = await startGraph({ env: { SMTP_URL: mailbox.url }, serviceEnv: { organizations: { DNS_SERVERS: dns.address, MAX_DOMAINS_PER_ORGANIZATION: String(DOMAINS_QUOTA) } } });
});
afterAll(async () => {
  await graph?.stop();
  await mailbox?.stop();
  await dns?.stop();
});

const reasonOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.reason;

const DOMAINS = 'query($id: ID!) { organization(id: $id) { domains { id domain status verifiedAt verificationRecord { name value } } } }';
async function domainsOf(owner: SignedInUser, organizationId: string) {
  return expectOk(
    await graph.request<{ organization: { domains: { id: string; domain: string; status: string; verifiedAt: string | null }[] } }>(DOMAINS, { id: organizationId }, owner.token),
  ).organization.domains;
}

async function auditActions(owner: SignedInUser, organizationId: string): Promise<{ action: string; target: { type: string; id: string }; after: Record<string, unknown> | null }[]> {
  const response = await graph.request<{ organization: { auditEvents: { nodes: { action: string; target: { type: string; id: string }; after: Record<string, unknown> | null }[] } } }>(
    'query($id: ID!) { organization(id: $id) { auditEvents(first: 100) { nodes { action target { type id } after } } } }',
    { id: organizationId },
    owner.token,
  );
  return expectOk(response).organization.auditEvents.nodes.filter((event) => /^(domain|join_request)\./.test(event.action));
}

const removeDomain = (user: SignedInUser, domainId: string) =>
  graph.request<{ removeDomain: { domainId: string; organizationId: string } }>('mutation($input: RemoveDomainInput!) { removeDomain(input: $input) { domainId organizationId } }', { input: { domainId } }, user.token);

describe('claiming a domain', () => {
  let owner: SignedInUser;
  let org: CreatedOrganization;
  beforeAll(async () => {
    owner = await signUp(graph, 'Domain Owner');
    org = await createOrganization(graph, owner, 'Claimers');
  });

  it('normalises it and answers the TXT record to create', async () => {
    const name = unique('acme');
    const claimed = expectOk(await attemptAddDomain(graph, owner, org.id, `  ${name.toUpperCase()}.Test. `)).addDomain;
    expect(claimed).toEqual({
      id: expect.stringMatching(/^dom_/),
      domain: `${name}.test`,
      status: 'PENDING',
      verificationRecord: { name: `_orgapi-challenge.${name}.test`, value: expect.stringMatching(/^orgapi-verification=[\w-]{32}$/) },
    });
    expect(await auditActions(owner, org.id)).toContainEqual({ action: 'domain.added', target: { type: 'domain', id: claimed.id }, after: { domain: `${name}.test`, status: 'PENDING' } });
    // The same organization cannot claim it twice.
    expectError(await attemptAddDomain(graph, owner, org.id, `${name}.test`), 'CONFLICT', 'domain');
  });

  it.each([
    ['an IP address', '192.0.2.1', 'ip_address'],
    ['a single label', 'intranet', 'single_label'],
    ['a public suffix', 'co.uk', 'public_suffix'],
    ['a free mail provider', 'gmail.com', 'free_email_provider'],
    ['a URL', 'https://acme.test/', 'invalid'],
  ])('refuses %s', async (_kind, domain, reason) => {
    const response = await attemptAddDomain(graph, owner, org.id, domain);
    expectError(response, 'BAD_USER_INPUT', 'domain');
    expect(reasonOf(response)).toBe(reason);
  });

  it(`allows ${DOMAINS_QUOTA} per organization`, async () => {
    const other = await createOrganization(graph, owner, 'Quota');
    for (let i = 0; i < DOMAINS_QUOTA; i += 1) await addDomain(graph, owner, other.id);
    const response = await attemptAddDomain(graph, owner, other.id, `${unique('more')}.test`);
    expect(codes(response)).toEqual(['QUOTA_EXCEEDED']);
    expect(await domainsOf(owner, other.id)).toHaveLength(DOMAINS_QUOTA);
  });
});

describe('verifying a domain', () => {
  let owner: SignedInUser;
  let org: CreatedOrganization;
  beforeAll(async () => {
    owner = await signUp(graph, 'Verifier');
    org = await createOrganization(graph, owner, 'Verifiers');
  });

  it('finds no record, then a wrong one, changing nothing; then the right one, and the domain is VERIFIED', async () => {
    const claimed = await addDomain(graph, owner, org.id);
    const missing = await attemptVerifyDomain(graph, owner, claimed.id);
    expect(codes(missing)).toEqual(['CONFLICT']);
    expect(reasonOf(missing)).toBe('record_not_found');
    expect(missing.errors![0].message).toContain(claimed.verificationRecord.value);

    dns.publishTxt(claimed.verificationRecord.name, ['orgapi-verification=somebody-else', 'v=spf1 -all']);
    const wrong = await attemptVerifyDomain(graph, owner, claimed.id);
    expect(codes(wrong)).toEqual(['CONFLICT']);
    expect(reasonOf(wrong)).toBe('record_mismatch');
    expect((await domainsOf(owner, org.id)).find((d) => d.id === claimed.id)).toMatchObject({ status: 'PENDING', verifiedAt: null });
    expect((await auditActions(owner, org.id)).map((e) => e.action)).not.toContain('domain.verified');

    dns.publishTxt(claimed.verificationRecord.name, ['v=spf1 -all', claimed.verificationRecord.value]);
    const verified = expectOk(await attemptVerifyDomain(graph, owner, claimed.id)).verifyDomain;
    expect(verified).toEqual({ id: claimed.id, domain: claimed.domain, status: 'VERIFIED', verifiedAt: expect.any(String) });
    expect((await domainsOf(owner, org.id)).find((d) => d.id === claimed.id)).toMatchObject({ status: 'VERIFIED' });
    expect((await auditActions(owner, org.id)).filter((e) => e.action === 'domain.verified')).toEqual([
      { action: 'domain.verified', target: { type: 'domain', id: claimed.id }, after: { domain: claimed.domain, status: 'VERIFIED' } },
    ]);
    // Verifying again answers the verified domain, without a second event.
    expect(expectOk(await attemptVerifyDomain(graph, owner, claimed.id)).verifyDomain.status).toBe('VERIFIED');
    expect((await auditActions(owner, org.id)).filter((e) => e.action === 'domain.verified')).toHaveLength(1);
  });

  it('says so when DNS does not answer, and changes nothing', async () => {
    const claimed = await addDomain(graph, owner, org.id);
    dns.failFor(claimed.verificationRecord.name);
    const response = await attemptVerifyDomain(graph, owner, claimed.id);
    expect(codes(response)).toEqual(['CONFLICT']);
    expect(reasonOf(response)).toBe('lookup_failed');
    expect((await domainsOf(owner, org.id)).find((d) => d.id === claimed.id)).toMatchObject({ status: 'PENDING' });
  });

  it('a domain another organization verified cannot be claimed or verified here, until it is removed there', async () => {
    const rival = await signUp(graph, 'Rival');
    const rivalOrg = await createOrganization(graph, rival, 'Rivals');
    const domain = `${unique('contested')}.test`;
    // Both may claim it while it is pending.
    const mine = await addDomain(graph, owner, org.id, domain);
    const theirs = await addDomain(graph, rival, rivalOrg.id, domain);
    dns.publishTxt(mine.verificationRecord.name, [mine.verificationRecord.value, theirs.verificationRecord.value]);
    expectOk(await attemptVerifyDomain(graph, owner, mine.id));
    const refused = await attemptVerifyDomain(graph, rival, theirs.id);
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(reasonOf(refused)).toBe('verified_elsewhere');
    expect((await domainsOf(rival, rivalOrg.id)).find((d) => d.id === theirs.id)).toMatchObject({ status: 'PENDING' });
    const third = await createOrganization(graph, rival, 'Latecomers');
    expectError(await attemptAddDomain(graph, rival, third.id, domain), 'CONFLICT', 'domain');

    const removed = expectOk(await removeDomain(owner, mine.id)).removeDomain;
    expect(removed).toEqual({ domainId: mine.id, organizationId: org.id });
    expect((await domainsOf(owner, org.id)).map((d) => d.id)).not.toContain(mine.id);
    expect(await auditActions(owner, org.id)).toContainEqual({ action: 'domain.removed', target: { type: 'domain', id: mine.id }, after: null });
    expect(expectOk(await attemptVerifyDomain(graph, rival, theirs.id)).verifyDomain.status).toBe('VERIFIED');
  });

  it('of two organizations verifying the same domain at the same moment, exactly one wins', async () => {
    const rival = await signUp(graph, 'Racer');
    const rivalOrg = await createOrganization(graph, rival, 'Racers');
    const domain = `${unique('raced')}.test`;
    const mine = await addDomain(graph, owner, org.id, domain);
    const theirs = await addDomain(graph, rival, rivalOrg.id, domain);
    dns.publishTxt(mine.verificationRecord.name, [mine.verificationRecord.value, theirs.verificationRecord.value]);
    const answers = await Promise.all([attemptVerifyDomain(graph, owner, mine.id), attemptVerifyDomain(graph, rival, theirs.id)]);
    expect(answers.filter((answer) => answer.errors === undefined)).toHaveLength(1);
    const loser = answers.find((answer) => answer.errors !== undefined)!;
    expect(codes(loser)).toEqual(['CONFLICT']);
    expect(reasonOf(loser)).toBe('verified_elsewhere');
    const statuses = [...(await domainsOf(owner, org.id)), ...(await domainsOf(rival, rivalOrg.id))].filter((d) => d.domain === domain).map((d) => d.status);
    expect(statuses.sort()).toEqual(['PENDING', 'VERIFIED']);
  });

  it("another organization's domain is NOT_FOUND, exactly as one that never existed, and is unchanged", async () => {
    const stranger = await signUp(graph, 'Stranger');
    await createOrganization(graph, stranger, 'Strangers');
    const claimed = await addDomain(graph, owner, org.id);
    for (const attempt of [(id: string) => attemptVerifyDomain(graph, stranger, id), (id: string) => removeDomain(stranger, id)]) {
      const forTheirs = await attempt(claimed.id);
      expect(codes(forTheirs)).toEqual(['NOT_FOUND']);
      expect(forTheirs).toEqual(await attempt(newId('dom')));
    }
    expect((await domainsOf(owner, org.id)).find((d) => d.id === claimed.id)).toMatchObject({ status: 'PENDING' });
  });
});

const SUGGESTED = '{ viewer { suggestedOrganizations { id slug name domain viewerJoinRequest { id status } } } }';
async function suggestionsOf(user: SignedInUser) {
  return expectOk(await graph.request<{ viewer: { suggestedOrganizations: { id: string; slug: string; name: string; domain: string; viewerJoinRequest: { id: string; status: string } | null }[] } }>(SUGGESTED, {}, user.token)).viewer
    .suggestedOrganizations;
}

const JOIN_REQUESTS = 'query($id: ID!, $status: JoinRequestStatus) { organization(id: $id) { joinRequests(first: 50, status: $status) { totalCount nodes { id status email decidedAt user { id } } } } }';
async function joinRequestsOf(admin: SignedInUser, organizationId: string, status: string | null = null) {
  return expectOk(
    await graph.request<{ organization: { joinRequests: { totalCount: number; nodes: { id: string; status: string; email: string; decidedAt: string | null; user: { id: string } }[] } } }>(
      JOIN_REQUESTS,
      { id: organizationId, status },
      admin.token,
    ),
  ).organization.joinRequests;
}

const decide = (verb: 'approveJoinRequest' | 'declineJoinRequest' | 'cancelJoinRequest', user: SignedInUser, joinRequestId: string, role?: string) =>
  graph.request<Record<string, { id: string; status: string; decidedAt: string | null }>>(
    `mutation($input: ${verb[0].toUpperCase()}${verb.slice(1)}Input!) { ${verb}(input: $input) { id status decidedAt } }`,
    { input: { joinRequestId, ...(role ? { role } : {}) } },
    user.token,
  );

async function membersOf(owner: SignedInUser, organizationId: string) {
  const response = await graph.request<{ organization: { members: { nodes: { role: string; user: { id: string } }[] } } }>(
    'query($id: ID!) { organization(id: $id) { members(first: 100) { nodes { role user { id } } } } }',
    { id: organizationId },
    owner.token,
  );
  return expectOk(response).organization.members.nodes.map((m) => ({ role: m.role, userId: m.user.id }));
}

describe('suggested organizations and join requests', () => {
  let owner: SignedInUser;
  let org: CreatedOrganization;
  let domain: string;
  beforeAll(async () => {
    owner = await signUp(graph, 'Suggesting Owner');
    org = await createOrganization(graph, owner, 'Suggested Inc');
    domain = (await verifiedDomain(graph, dns, owner, org.id)).domain;
    await setEnrollmentMode(graph, owner, org.id, 'AUTOMATIC_SUGGESTION');
  });

  it('are shown to a user at the domain once they verify their address (by the emailed link), and only then', async () => {
    const user = await signUpAt(graph, domain, 'Newcomer');
    const link = tokenIn(await mailbox.nextTo(user.email));
    expect(await suggestionsOf(user)).toEqual([]);
    expect(codes(await attemptRequestToJoin(graph, user, org.id))).toEqual(['NOT_FOUND']);
    expectOk(await graph.request('mutation($input: VerifyEmailInput!) { verifyEmail(input: $input) { id } }', { input: { token: link } }));
    const verified = await logIn(graph, user);
    expect(await suggestionsOf(verified)).toEqual([{ id: org.id, slug: org.slug, name: 'Suggested Inc', domain, viewerJoinRequest: null }]);
  });

  it('are not shown at another domain, to members, or when the organization enrolls otherwise', async () => {
    const elsewhere = await verifiedUserAt(graph, `${unique('elsewhere')}.test`);
    expect(await suggestionsOf(elsewhere)).toEqual([]);
    const member = await verifiedUserAt(graph, domain);
    await addMember(graph, org.id, member, 'MEMBER');
    expect(await suggestionsOf(member)).toEqual([]);
    expect(codes(await attemptRequestToJoin(graph, member, org.id))).toEqual(['CONFLICT']);
    const user = await verifiedUserAt(graph, domain);
    for (const mode of ['MANUAL', 'AUTOMATIC_INVITATION'] as const) {
      await setEnrollmentMode(graph, owner, org.id, mode);
      expect(await suggestionsOf(user)).toEqual([]);
      expect(codes(await attemptRequestToJoin(graph, user, org.id))).toEqual(['NOT_FOUND']);
    }
    await setEnrollmentMode(graph, owner, org.id, 'AUTOMATIC_SUGGESTION');
    expect(await suggestionsOf(user)).toHaveLength(1);
  });

  it('a request to an organization not suggested answers exactly as one to an organization that does not exist', async () => {
    const user = await verifiedUserAt(graph, domain);
    const other = await createOrganization(graph, owner, 'Not Suggested');
    const forOther = await attemptRequestToJoin(graph, user, other.id);
    expect(codes(forOther)).toEqual(['NOT_FOUND']);
    expect(forOther).toEqual(await attemptRequestToJoin(graph, user, newId('org')));
    expect(forOther).toEqual(await attemptRequestToJoin(graph, user, 'not-an-id'));
  });

  it('a request is pending once, seen by admins with the email; approving makes a member with the default role', async () => {
    const user = await verifiedUserAt(graph, domain, 'Joiner');
    const created = expectOk(await attemptRequestToJoin(graph, user, org.id)).requestToJoin;
    expect(created).toEqual({ id: expect.stringMatching(/^jrq_/), status: 'PENDING', email: user.email });
    expect(await requestToJoin(graph, user, org.id)).toBe(created.id);
    expect((await suggestionsOf(user))[0].viewerJoinRequest).toEqual({ id: created.id, status: 'PENDING' });
    const pending = await joinRequestsOf(owner, org.id, 'PENDING');
    expect(pending.nodes).toContainEqual({ id: created.id, status: 'PENDING', email: user.email, decidedAt: null, user: { id: user.id } });

    const approved = expectOk(await decide('approveJoinRequest', owner, created.id)).approveJoinRequest;
    expect(approved).toEqual({ id: created.id, status: 'APPROVED', decidedAt: expect.any(String) });
    expect(await membersOf(owner, org.id)).toContainEqual({ role: 'MEMBER', userId: user.id });
    expect(await suggestionsOf(user)).toEqual([]);
    const again = await decide('approveJoinRequest', owner, created.id);
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(reasonOf(again)).toBe('already_approved');
    const events = await auditActions(owner, org.id);
    expect(events).toContainEqual({ action: 'join_request.created', target: { type: 'join_request', id: created.id }, after: { userId: user.id, email: user.email, domain } });
    expect(events).toContainEqual({ action: 'join_request.approved', target: { type: 'join_request', id: created.id }, after: { status: 'APPROVED', userId: user.id, email: user.email, role: 'MEMBER' } });
  });

  it('approving gives the role asked for, but nobody gives a role they could not', async () => {
    const admin = await signUp(graph, 'Admin');
    await addMember(graph, org.id, admin, 'ADMIN');
    const user = await verifiedUserAt(graph, domain);
    const id = await requestToJoin(graph, user, org.id);
    expect(codes(await decide('approveJoinRequest', admin, id, 'OWNER'))).toEqual(['FORBIDDEN']);
    expect(codes(await decide('approveJoinRequest', admin, id, 'CUSTOM'))).toEqual(['BAD_USER_INPUT']);
    expectOk(await decide('approveJoinRequest', admin, id, 'BILLING'));
    expect(await membersOf(owner, org.id)).toContainEqual({ role: 'BILLING', userId: user.id });
  });

  it('declined, the requester may ask again; they may withdraw their own request, and nobody else can', async () => {
    const user = await verifiedUserAt(graph, domain);
    const first = await requestToJoin(graph, user, org.id);
    expect(expectOk(await decide('declineJoinRequest', owner, first)).declineJoinRequest.status).toBe('DECLINED');
    expect(reasonOf(await decide('cancelJoinRequest', user, first))).toBe('already_declined');
    const second = await requestToJoin(graph, user, org.id);
    expect(second).not.toBe(first);
    const other = await verifiedUserAt(graph, domain);
    const forOthers = await decide('cancelJoinRequest', other, second);
    expect(codes(forOthers)).toEqual(['NOT_FOUND']);
    expect(forOthers).toEqual(await decide('cancelJoinRequest', other, newId('jrq')));
    expect(expectOk(await decide('cancelJoinRequest', user, second)).cancelJoinRequest.status).toBe('CANCELLED');
    expect(codes(await decide('approveJoinRequest', owner, second))).toEqual(['CONFLICT']);
    expect((await membersOf(owner, org.id)).map((m) => m.userId)).not.toContain(user.id);
    const actions = (await auditActions(owner, org.id)).filter((e) => e.target.id === first || e.target.id === second).map((e) => e.action);
    expect(actions.sort()).toEqual(['join_request.cancelled', 'join_request.created', 'join_request.created', 'join_request.declined']);
  });

  it('two requests at the same moment make one pending request', async () => {
    const user = await verifiedUserAt(graph, domain);
    const [first, second] = await Promise.all([attemptRequestToJoin(graph, user, org.id), attemptRequestToJoin(graph, user, org.id)]);
    expect(expectOk(first).requestToJoin.id).toBe(expectOk(second).requestToJoin.id);
    expect((await joinRequestsOf(owner, org.id, 'PENDING')).nodes.filter((r) => r.user.id === user.id)).toHaveLength(1);
  });

  it('two approvals at the same moment make one member', async () => {
    const admin = await signUp(graph, 'Second Admin');
    await addMember(graph, org.id, admin, 'ADMIN');
    const user = await verifiedUserAt(graph, domain);
    const id = await requestToJoin(graph, user, org.id);
    const answers = await Promise.all([decide('approveJoinRequest', owner, id), decide('approveJoinRequest', admin, id)]);
    expect(answers.filter((answer) => answer.errors === undefined)).toHaveLength(1);
    expect(codes(answers.find((answer) => answer.errors !== undefined)!)).toEqual(['CONFLICT']);
    expect((await membersOf(owner, org.id)).filter((m) => m.userId === user.id)).toHaveLength(1);
  });

  it("another organization's admins get NOT_FOUND for its requests, exactly as for ones that never existed", async () => {
    const user = await verifiedUserAt(graph, domain);
    const id = await requestToJoin(graph, user, org.id);
    const stranger = await signUp(graph, 'Other Admin');
    await createOrganization(graph, stranger, 'Elsewhere');
    for (const verb of ['approveJoinRequest', 'declineJoinRequest'] as const) {
      const forTheirs = await decide(verb, stranger, id);
      expect(codes(forTheirs)).toEqual(['NOT_FOUND']);
      expect(forTheirs).toEqual(await decide(verb, stranger, newId('jrq')));
    }
    // The requester, not a member, cannot approve themself.
    expect(codes(await decide('approveJoinRequest', user, id))).toEqual(['NOT_FOUND']);
    expect((await joinRequestsOf(owner, org.id, 'PENDING')).nodes.map((r) => r.id)).toContain(id);
  });
});

describe('organizations inviting by domain (for invitations on sign-up or verification)', () => {
  it('are those that verified the domain and enroll by AUTOMATIC_INVITATION, with their default role', async () => {
    const owner = await signUp(graph, 'Inviting Owner');
    const org = await createOrganization(graph, owner, 'Inviting Inc');
    const { domain } = await verifiedDomain(graph, dns, owner, org.id);
    const db = graph.subgraphs.organizations.db;
    expect(await organizationsInvitingByDomain(db, domain)).toEqual([]);
    await setEnrollmentMode(graph, owner, org.id, 'AUTOMATIC_INVITATION');
    expect(await organizationsInvitingByDomain(db, domain)).toEqual([{ organizationId: org.id, defaultRole: 'MEMBER' }]);
    expect(await organizationsInvitingByDomain(db, `${unique('other')}.test`)).toEqual([]);
  });
});

describe('the demo data', () => {
  it("holds Acme's verified domain, acme.example, where its people's addresses are", async () => {
    const demo = await seedDemo(graph.serviceUrls);
    const ada = await logIn(graph, { email: demo.email, password: demo.password });
    const response = await graph.request<{ organization: { domains: { domain: string; status: string }[] } }>('{ organization(slug: "acme") { domains { domain status } } }', {}, ada.token);
    expect(expectOk(response).organization.domains).toEqual([{ domain: 'acme.example', status: 'VERIFIED' }]);
  });
});

/** Posts an event to organizations' internal route as identity's relay does, with the router secret; the HTTP status. */
async function postUserEvent(event: Record<string, unknown>): Promise<number> {
  const url = graph.subgraphs.organizations.url.replace('/graphql', '/internal/user-events');
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [ROUTER_SECRET_HEADER]: graph.routerSecret }, body: JSON.stringify(event) });
  return response.status;
}

describe('AUTOMATIC_INVITATION', () => {
  let owner: SignedInUser;
  let org: CreatedOrganization;
  let domain: string;
  beforeAll(async () => {
    owner = await signUp(graph, 'Inviting Owner');
    org = await createOrganization(graph, owner, 'Invites Inc');
    domain = (await verifiedDomain(graph, dns, owner, org.id)).domain;
    await setEnrollmentMode(graph, owner, org.id, 'AUTOMATIC_INVITATION');
  });

  const PENDING = '{ viewer { pendingInvitations { id email role invitedBy { id } organization { id name } } } }';
  type Pending = { viewer: { pendingInvitations: { id: string; email: string; role: string; invitedBy: { id: string } | null; organization: { id: string; name: string } }[] } };

  it('invites a user who verifies an address at the domain (identity’s event, relayed), with the default role, once', async () => {
    const user = await signUpAt(graph, domain, 'Auto Invitee');
    const link = tokenIn(await mailbox.nextTo(user.email));
    expect(await graph.subgraphs.organizations.db.query('SELECT 1 FROM invitations WHERE email = $1', [user.email])).toEqual([]);
    expectOk(await graph.request('mutation($input: VerifyEmailInput!) { verifyEmail(input: $input) { id } }', { input: { token: link } }));

    // The invitation email arrives: identity's outbox relayed the event, organizations invited and queued the email.
    const invitationEmail = await mailbox.nextTo(user.email, 1);
    expect(invitationEmail.subject).toBe('You are invited to join Invites Inc');
    expect(invitationEmail.text).toContain(`Invites Inc, which verified ${domain}, invited you`);
    const verified = await logIn(graph, user);
    const pending = expectOk(await graph.request<Pending>(PENDING, {}, verified.token)).viewer.pendingInvitations;
    expect(pending).toEqual([{ id: expect.stringMatching(/^inv_/), email: user.email, role: 'MEMBER', invitedBy: null, organization: { id: org.id, name: 'Invites Inc' } }]);

    // Delivered again (at least once), the event invites nobody twice.
    const replay = await postUserEvent({ id: newId('evt'), topic: 'user.email_verified', payload: { userId: user.id, email: user.email }, occurredAt: new Date().toISOString() });
    expect(replay).toBe(204);
    expect(await graph.subgraphs.organizations.db.query(`SELECT id FROM invitations WHERE email = $1 AND status = 'PENDING'`, [user.email])).toHaveLength(1);

    // Accepting it makes them a member.
    const token = tokenIn(invitationEmail);
    expectOk(await graph.request('mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { id role } }', { input: { token } }, verified.token));
    const audit = expectOk(
      await graph.request<{ organization: { auditEvents: { nodes: { actor: { type: string }; after: Record<string, unknown> }[] } } }>(
        'query($id: ID!) { organization(id: $id) { auditEvents(first: 10, filter: { action: "invitation.created" }) { nodes { actor { type } after } } } }',
        { id: org.id },
        owner.token,
      ),
    );
    expect(audit.organization.auditEvents.nodes[0]).toMatchObject({ actor: { type: 'SYSTEM' }, after: { email: user.email, automatic: true, domain } });
  });

  it('invites nobody from another domain, nor when the organization enrolls otherwise', async () => {
    await setEnrollmentMode(graph, owner, org.id, 'MANUAL');
    try {
      const user = await signUpAt(graph, domain, 'Manual Newcomer');
      const link = tokenIn(await mailbox.nextTo(user.email));
      expectOk(await graph.request('mutation($input: VerifyEmailInput!) { verifyEmail(input: $input) { id } }', { input: { token: link } }));
      const stranger = await signUpAt(graph, `${unique('elsewhere')}.test`, 'Elsewhere');
      expectOk(await graph.request('mutation($input: VerifyEmailInput!) { verifyEmail(input: $input) { id } }', { input: { token: tokenIn(await mailbox.nextTo(stranger.email)) } }));
      // The events were handled (identity's outbox is empty of them) and made no invitation.
      const relayed = async () =>
        (await graph.subgraphs.identity.db.query(`SELECT count(*)::int AS count FROM event_outbox WHERE status = 'pending'`))[0].count as number;
      const deadline = Date.now() + 10_000;
      while ((await relayed()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await relayed()).toBe(0);
      expect(await graph.subgraphs.organizations.db.query('SELECT 1 FROM invitations WHERE email = ANY($1)', [[user.email, stranger.email]])).toEqual([]);
    } finally {
      await setEnrollmentMode(graph, owner, org.id, 'AUTOMATIC_INVITATION');
    }
  });

  it('refuses a forged event without the router secret, and a malformed one with it', async () => {
    const url = graph.subgraphs.organizations.url.replace('/graphql', '/internal/user-events');
    const event = { id: newId('evt'), topic: 'user.email_verified', payload: { userId: 'usr_x', email: `boss@${domain}` }, occurredAt: new Date().toISOString() };
    const forged = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(forged.status).toBe(403);
    expect(await postUserEvent({ ...event, payload: { userId: 'usr_x' } })).toBe(400);
    expect(await graph.subgraphs.organizations.db.query('SELECT 1 FROM invitations WHERE email = $1', [`boss@${domain}`])).toEqual([]);
  });
});
