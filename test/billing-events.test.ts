// Billing's alerts at organizations: each is recorded once in the audit log and emailed once to every member who
// manages billing, however often it is delivered; and the permissions billing asks organizations for its mutations.
import { BILLING_ALERT, newId, permissionsOf, ROUTER_SECRET_HEADER, type BillingAlert } from '@orgapi/shared';
import {
  addMember,
  assignRole,
  createOrganization,
  createRole,
  eventually,
  expectOk,
  membershipIdOf,
  signUp,
  startGraph,
  startMailbox,
  type CreatedOrganization,
  type Mailbox,
  type SignedInUser,
  type TestGraph,
} from './harness';

const APP_URL = 'https://app.example.test/console';

let mailbox: Mailbox;
let graph: TestGraph;
let owner: SignedInUser;
let biller: SignedInUser;
let treasurer: SignedInUser;
let member: SignedInUser;
let viewer: SignedInUser;
let org: CreatedOrganization;
beforeAll(async () => {
  mailbox = await startMailbox();
  graph = await startGraph({ env: { SMTP_URL: mailbox.url, APP_URL } });
  [owner, biller, treasurer, member, viewer] = await Promise.all(['Olga Owner', 'Bill Biller', 'Tess Treasurer', 'Mel Member', 'Vic Viewer'].map((name) => signUp(graph, name)));
  org = await createOrganization(graph, owner, 'Acme');
  await addMember(graph, org.id, biller, 'BILLING');
  await addMember(graph, org.id, member, 'MEMBER');
  await addMember(graph, org.id, viewer, 'VIEWER');
  // A custom role that manages billing: its holders are told as the built-in roles' are.
  await addMember(graph, org.id, treasurer, 'VIEWER');
  const treasury = await createRole(graph, owner, org.id, ['organization:read', 'billing:read', 'billing:manage']);
  await assignRole(graph, owner, await membershipIdOf(graph, owner, org.id, treasurer.id), treasury);
});
afterAll(async () => {
  await graph?.stop();
  await mailbox?.stop();
});

const internalUrl = (path: string) => graph.subgraphs.organizations.url.replace('/graphql', path);

/** Posts to one of organizations' internal routes as another service does, with the router secret unless told otherwise. */
async function postInternal(path: string, body: unknown, withSecret = true): Promise<Response> {
  return fetch(internalUrl(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(withSecret ? { [ROUTER_SECRET_HEADER]: graph.routerSecret } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** An event as billing's relay posts it. */
const alertEvent = (payload: Record<string, unknown>) => ({ id: newId('evt'), topic: BILLING_ALERT, payload, occurredAt: new Date().toISOString() });
const postAlert = async (event: ReturnType<typeof alertEvent>, withSecret = true) => (await postInternal('/internal/billing-events', event, withSecret)).status;
const newAlert = (kind: BillingAlert['kind'], balance: number, threshold: number | null, organizationId = org.id): BillingAlert => ({
  alertId: newId('alt'),
  organizationId,
  kind,
  balance,
  threshold,
});

interface AuditedAlert {
  action: string;
  actor: { type: string; id: string | null; user: { id: string } | null };
  target: { type: string; id: string };
  after: Record<string, unknown> | null;
}

/** The organization's audit events of `action`, as an owner reads them through the gateway. */
async function auditOf(action: string): Promise<{ totalCount: number; nodes: AuditedAlert[] }> {
  const data = expectOk(
    await graph.request<{ organization: { auditEvents: { totalCount: number; nodes: AuditedAlert[] } } }>(
      'query($id: ID!, $action: String!) { organization(id: $id) { auditEvents(first: 10, filter: { action: $action }) { totalCount nodes { action actor { type id user { id } } target { type id } after } } } }',
      { id: org.id, action },
      owner.token,
    ),
  );
  return data.organization.auditEvents;
}

/** Who was queued the alert email with this subject: the outbox holds every email organizations sends. */
const recipientsOf = async (subject: string): Promise<string[]> =>
  ((await graph.subgraphs.organizations.db.query(`SELECT recipient FROM outbox WHERE kind = 'billing_alert' AND subject = $1 ORDER BY recipient`, [subject])) as { recipient: string }[]).map(
    (row) => row.recipient,
  );

/** The emails with `subject` delivered to `user`, waiting until at least one is (sign-up sent them others). */
const deliveredTo = (user: { email: string }, subject: string) =>
  eventually(async () => mailbox.sentTo(user.email).filter((email) => email.subject === subject), (emails) => emails.length > 0, 10_000, 50);

const billingManagers = () => [owner, biller, treasurer].map((user) => user.email).sort();

describe('a billing alert', () => {
  it('is recorded in the audit log, by the platform, and emailed to each member who manages billing', async () => {
    const alert = newAlert('BALANCE_DROPPED', 450, 500);
    expect(await postAlert(alertEvent({ ...alert }))).toBe(204);

    expect(await auditOf('billing.balance_dropped')).toEqual({
      totalCount: 1,
      nodes: [{ action: 'billing.balance_dropped', actor: { type: 'SYSTEM', id: null, user: null }, target: { type: 'billing_alert', id: alert.alertId }, after: { balance: 450, threshold: 500 } }],
    });
    // Owners, the BILLING role and a custom role holding billing:manage are told; MEMBER and VIEWER are not.
    expect(await recipientsOf("Acme's credit balance is low")).toEqual(billingManagers());
    for (const user of [owner, biller, treasurer]) {
      const [email, ...more] = await deliveredTo(user, "Acme's credit balance is low");
      expect(more).toEqual([]);
      expect(email.text).toContain('Acme has 450 credits left, under its low-balance alert of 500 credits.');
      expect(email.text).toContain(`${APP_URL}/${org.slug}/billing`);
    }
    for (const user of [member, viewer]) expect(mailbox.sentTo(user.email).filter((email) => email.subject.includes('credit'))).toEqual([]);
  });

  it('delivered again (at least once), is recorded and sent once', async () => {
    const alert = newAlert('BALANCE_DEPLETED', 0, 500);
    const event = alertEvent({ ...alert });
    expect(await postAlert(event)).toBe(204);
    expect(await postAlert(event)).toBe(204);
    // Another event carrying the same alert is the same alert.
    expect(await postAlert(alertEvent({ ...alert }))).toBe(204);

    const audited = await auditOf('billing.balance_depleted');
    expect(audited.totalCount).toBe(1);
    expect(audited.nodes[0].target).toEqual({ type: 'billing_alert', id: alert.alertId });
    expect(await recipientsOf('Acme has run out of credits')).toEqual(billingManagers());
    expect(await deliveredTo(owner, 'Acme has run out of credits')).toHaveLength(1);
  });

  it("of a deleted or unknown organization is taken (204) and changes nothing, so the relay stops", async () => {
    const doomed = await createOrganization(graph, owner, 'Doomed');
    expectOk(
      await graph.request('mutation($input: DeleteOrganizationInput!) { deleteOrganization(input: $input) { organizationId } }', { input: { organizationId: doomed.id, confirmSlug: doomed.slug } }, owner.token),
    );
    expect(await postAlert(alertEvent({ ...newAlert('BALANCE_RECOVERED', 900, 500, doomed.id) }))).toBe(204);
    expect(await postAlert(alertEvent({ ...newAlert('BALANCE_RECOVERED', 900, 500, newId('org')) }))).toBe(204);
    expect(await postAlert(alertEvent({ ...newAlert('BALANCE_RECOVERED', 900, 500, 'not-an-id') }))).toBe(204);
    expect(await graph.subgraphs.organizations.db.query(`SELECT 1 FROM audit_events WHERE action = 'billing.balance_recovered'`)).toEqual([]);
    expect(await recipientsOf("Doomed's credit balance is back up")).toEqual([]);
  });

  it('is refused for good (400) when malformed, and refused without the router secret', async () => {
    const alert = newAlert('BALANCE_RECOVERED', 900, 500);
    for (const payload of [
      { ...alert, kind: 'BALANCE_EXPLODED' },
      { ...alert, balance: 1.5 },
      { ...alert, balance: '900' },
      { ...alert, threshold: -1 },
      { alertId: alert.alertId, organizationId: org.id },
    ]) {
      expect(await postAlert(alertEvent(payload))).toBe(400);
    }
    expect(await postAlert(alertEvent({ ...alert, alertId: 'alt_\u0000' }))).toBe(400);
    expect(await postAlert(alertEvent({ ...alert }), false)).toBe(403);
    expect((await auditOf('billing.balance_recovered')).totalCount).toBe(0);
  });
});

describe('a member’s permissions, as billing asks them', () => {
  const permissionsOfMember = async (userId: string, organizationId: string) => {
    const response = await postInternal('/internal/member-permissions', { userId, organizationId });
    expect(response.status).toBe(200);
    return ((await response.json()) as { permissions: string[] }).permissions;
  };

  it("are the member's role's, built-in or custom, in the matrix's order", async () => {
    expect(await permissionsOfMember(owner.id, org.id)).toEqual(permissionsOf('OWNER'));
    expect(await permissionsOfMember(biller.id, org.id)).toEqual(['organization:read', 'members:read', 'projects:read', 'billing:read', 'billing:manage']);
    expect(await permissionsOfMember(treasurer.id, org.id)).toEqual(['organization:read', 'billing:read', 'billing:manage']);
  });

  it('are none for a non-member, an unknown or deleted organization, and an ID that names nothing', async () => {
    const stranger = await signUp(graph, 'Stan Stranger');
    const gone = await createOrganization(graph, owner, 'Gone');
    expectOk(
      await graph.request('mutation($input: DeleteOrganizationInput!) { deleteOrganization(input: $input) { organizationId } }', { input: { organizationId: gone.id, confirmSlug: gone.slug } }, owner.token),
    );
    expect(await permissionsOfMember(stranger.id, org.id)).toEqual([]);
    expect(await permissionsOfMember(owner.id, newId('org'))).toEqual([]);
    expect(await permissionsOfMember(owner.id, gone.id)).toEqual([]);
    expect(await permissionsOfMember(owner.id, org.slug)).toEqual([]);
  });

  it('are refused (400) for a malformed question, and to a caller without the router secret', async () => {
    for (const body of ['not json', [], { userId: owner.id }, { userId: 42, organizationId: org.id }, { userId: `${owner.id}\u0000`, organizationId: org.id }, { userId: owner.id, organizationId: 'x'.repeat(101) }]) {
      expect((await postInternal('/internal/member-permissions', body)).status).toBe(400);
    }
    expect((await postInternal('/internal/member-permissions', { userId: owner.id, organizationId: org.id }, false)).status).toBe(403);
  });
});
