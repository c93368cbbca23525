// Tenant isolation: with another organization's IDs, a signed-in user gets exactly what a made-up ID gets, and changes
// nothing; and a subgraph called straight, with the router secret and forged representations, unlocks nothing.
import { importJWK, SignJWT, type JWK } from 'jose';
import { callerPartPayload, newId } from '@orgapi/shared';
import {
  addMember,
  requestToJoin,
  setEnrollmentMode,
  startDnsServer,
  verifiedDomain,
  verifiedUserAt,
  asRouter,
  codes,
  committedApiSchema,
  createOrganization,
  createProject,
  createRole,
  createToken,
  currentSessionId,
  expectOk,
  logIn,
  grantCredits,
  membershipIdOf,
  recordUsage,
  signUp,
  startGraph,
  unique,
  type CreatedOrganization,
  type CreatedProject,
  type DnsServer,
  type GraphQLResponse,
  type SignedInUser,
  type TestGraph,
} from './harness';

/** The identifiers an attempt is made with: B's real ones, or ones that name nothing. */
interface Target {
  organizationId: string;
  slug: string;
  projectId: string;
  environmentId: string;
  sessionId: string;
  tokenId: string;
  membershipId: string;
  roleId: string;
  apiKeyId: string;
  invitationId: string;
  domainId: string;
  joinRequestId: string;
}

/**
 * One way to reach another tenant's data. `run` is made as A's owner against each target; the answer for B's real
 * IDs must be a refusal (NOT_FOUND or FORBIDDEN) identical to the answer for IDs that do not exist.
 */
interface Attempt {
  name: string;
  /** The root field the attempt enters through, `Query.x` or `Mutation.x`. */
  field: string;
  run(caller: SignedInUser, target: Target): Promise<GraphQLResponse>;
}

const PERIOD = { from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:00Z' };

const query =
  (document: string, variables: (target: Target) => Record<string, unknown>) =>
  (caller: SignedInUser, target: Target): Promise<GraphQLResponse> =>
    graph.request(document, variables(target), caller.token);

/** `root(id: $id) { selection }`, declaring the period only where the selection asks for usage. */
const byId = (root: string, idOf: (target: Target) => string) => (selection: string) => {
  const usesPeriod = selection.includes('$from');
  return query(`query($id: ID!${usesPeriod ? ', $from: DateTime!, $to: DateTime!' : ''}) { ${root}(id: $id) { ${selection} } }`, (t) => ({
    id: idOf(t),
    ...(usesPeriod ? PERIOD : {}),
  }));
};
const byOrganizationId = byId('organization', (t) => t.organizationId);
const byProjectId = byId('project', (t) => t.projectId);
const byEnvironmentId = byId('environment', (t) => t.environmentId);

const ORGANIZATION_FIELDS = `id slug name createdAt viewerRole viewerPermissions`;
const CONNECTION = (node: string) => `totalCount pageInfo { hasNextPage endCursor } edges { cursor } nodes { ${node} }`;

const ATTEMPTS: Attempt[] = [
  { name: 'organization(id)', field: 'Query.organization', run: byOrganizationId(ORGANIZATION_FIELDS) },
  {
    name: 'organization(slug)',
    field: 'Query.organization',
    run: query(`query($slug: String!) { organization(slug: $slug) { ${ORGANIZATION_FIELDS} } }`, (t) => ({ slug: t.slug })),
  },
  { name: 'organization(id).members', field: 'Query.organization', run: byOrganizationId(`members(first: 100) { ${CONNECTION('id role joinedAt user { id email name }')} }`) },
  { name: 'organization(id).projects', field: 'Query.organization', run: byOrganizationId(`projects(first: 100) { ${CONNECTION('id name environments { id mode configuration }')} }`) },
  { name: 'organization(id).auditEvents', field: 'Query.organization', run: byOrganizationId(`auditEvents(first: 100) { ${CONNECTION('id action actor { type id } target { type id } before after')} }`) },
  { name: 'organization(id).creditBalance', field: 'Query.organization', run: byOrganizationId('creditBalance { available granted used }') },
  { name: 'organization(id).creditUsage', field: 'Query.organization', run: byOrganizationId('creditUsage(from: $from, to: $to) { total byDay { date amount } }') },
  {
    name: 'organization(id).billing',
    field: 'Query.organization',
    run: byOrganizationId(
      `billing { balance { available granted } lowBalanceThreshold grants { ${CONNECTION('id amount remaining reference')} } ledgerEntries { ${CONNECTION('id amount balanceAfter description')} } alerts { totalCount } statements(year: 2026) { month closingBalance } }`,
    ),
  },
  {
    name: 'updateBillingSettings(organizationId)',
    field: 'Mutation.updateBillingSettings',
    run: query('mutation($input: UpdateBillingSettingsInput!) { updateBillingSettings(input: $input) { lowBalanceThreshold balance { available } } }', (t) => ({
      input: { organizationId: t.organizationId, lowBalanceThreshold: 1 },
    })),
  },
  {
    name: 'organization(slug) with billing fields',
    field: 'Query.organization',
    run: query(
      `query($slug: String!, $from: DateTime!, $to: DateTime!) { organization(slug: $slug) { creditBalance { available } creditUsage(from: $from, to: $to) { total } } }`,
      (t) => ({ slug: t.slug, ...PERIOD }),
    ),
  },
  { name: 'project(id)', field: 'Query.project', run: byProjectId('id name createdAt viewerPermissions') },
  { name: 'project(id).environments', field: 'Query.project', run: byProjectId('environments { id mode configuration }') },
  { name: 'project(id).environment(mode)', field: 'Query.project', run: byProjectId('environment(mode: LIVE) { id configuration }') },
  { name: 'project(id).organization', field: 'Query.project', run: byProjectId(`organization { ${ORGANIZATION_FIELDS} }`) },
  { name: 'project(id).creditUsage', field: 'Query.project', run: byProjectId('creditUsage(from: $from, to: $to) { total byDay { date amount } }') },
  { name: 'environment(id)', field: 'Query.environment', run: byEnvironmentId('id mode configuration createdAt viewerPermissions') },
  { name: 'environment(id).project', field: 'Query.environment', run: byEnvironmentId('project { id name organization { id name } }') },
  { name: 'environment(id).creditUsage', field: 'Query.environment', run: byEnvironmentId('creditUsage(from: $from, to: $to) { total byDay { date amount } }') },
  {
    name: 'createProject(organizationId)',
    field: 'Mutation.createProject',
    run: query('mutation($input: CreateProjectInput!) { createProject(input: $input) { id name organization { id name } } }', (t) => ({
      input: { organizationId: t.organizationId, name: 'Intruder' },
    })),
  },
  {
    name: 'createProject(organizationId) named like a project of B',
    field: 'Mutation.createProject',
    run: query('mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }', (t) => ({
      input: { organizationId: t.organizationId, name: 'Bravo Secret Project' },
    })),
  },
  {
    name: 'organization(id).projects(filter: search)',
    field: 'Query.organization',
    run: byOrganizationId(`projects(filter: { search: "secret", archived: false }) { ${CONNECTION('id name description archived')} }`),
  },
  {
    name: 'updateProject(projectId)',
    field: 'Mutation.updateProject',
    run: query('mutation($input: UpdateProjectInput!) { updateProject(input: $input) { id name description } }', (t) => ({
      input: { projectId: t.projectId, name: 'Hijacked', description: 'Hijacked' },
    })),
  },
  {
    name: 'archiveProject(projectId)',
    field: 'Mutation.archiveProject',
    run: query('mutation($input: ProjectInput!) { archiveProject(input: $input) { id archived } }', (t) => ({ input: { projectId: t.projectId } })),
  },
  {
    name: 'restoreProject(projectId)',
    field: 'Mutation.restoreProject',
    run: query('mutation($input: ProjectInput!) { restoreProject(input: $input) { id archived } }', (t) => ({ input: { projectId: t.projectId } })),
  },
  {
    name: 'deleteProject(projectId) with its name',
    field: 'Mutation.deleteProject',
    run: query('mutation($input: DeleteProjectInput!) { deleteProject(input: $input) { projectId deletedAt } }', (t) => ({
      input: { projectId: t.projectId, confirmName: 'Bravo Secret Project' },
    })),
  },
  { name: 'environment(id).configurationVersions', field: 'Query.environment', run: byEnvironmentId('configurationVersion configurationVersions { totalCount nodes { id version configuration diff { path } } }') },
  { name: 'project(id).configurationDiff', field: 'Query.project', run: byProjectId('configurationSchema configurationDiff { sandboxVersion liveVersion changes { path value } }') },
  {
    name: 'updateEnvironmentConfiguration(environmentId)',
    field: 'Mutation.updateEnvironmentConfiguration',
    run: query('mutation($input: UpdateEnvironmentConfigurationInput!) { updateEnvironmentConfiguration(input: $input) { id configuration } }', (t) => ({
      input: { environmentId: t.environmentId, configuration: { hijacked: true }, expectedVersion: 1 },
    })),
  },
  {
    name: 'rollbackConfiguration(environmentId)',
    field: 'Mutation.rollbackConfiguration',
    run: query('mutation($input: RollbackConfigurationInput!) { rollbackConfiguration(input: $input) { id configuration } }', (t) => ({
      input: { environmentId: t.environmentId, version: 1 },
    })),
  },
  {
    name: 'promoteConfiguration(projectId)',
    field: 'Mutation.promoteConfiguration',
    run: query('mutation($input: PromoteConfigurationInput!) { promoteConfiguration(input: $input) { id configuration } }', (t) => ({
      input: { projectId: t.projectId, expectedLiveVersion: 1 },
    })),
  },
  {
    name: 'setConfigurationSchema(projectId)',
    field: 'Mutation.setConfigurationSchema',
    run: query('mutation($input: SetConfigurationSchemaInput!) { setConfigurationSchema(input: $input) { id configurationSchema } }', (t) => ({
      input: { projectId: t.projectId, schema: { type: 'object', maxProperties: 0 } },
    })),
  },
  { name: 'environment(id).apiKeys', field: 'Query.environment', run: byEnvironmentId('apiKeys { id name prefix lastFour status }') },
  {
    name: 'createApiKey(environmentId)',
    field: 'Mutation.createApiKey',
    run: query('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }', (t) => ({
      input: { environmentId: t.environmentId, kind: 'SECRET', name: 'Intruder key' },
    })),
  },
  {
    name: 'rollApiKey(apiKeyId)',
    field: 'Mutation.rollApiKey',
    run: query('mutation($input: RollApiKeyInput!) { rollApiKey(input: $input) { secret apiKey { id } } }', (t) => ({ input: { apiKeyId: t.apiKeyId, expiresInHours: 0 } })),
  },
  {
    name: 'revokeApiKey(apiKeyId)',
    field: 'Mutation.revokeApiKey',
    run: query('mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { id status } }', (t) => ({ input: { apiKeyId: t.apiKeyId } })),
  },
  {
    name: 'updateOrganization(organizationId)',
    field: 'Mutation.updateOrganization',
    run: query('mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id slug name settings { allowedEmailDomains } } }', (t) => ({
      input: { organizationId: t.organizationId, name: 'Hijacked', settings: { allowedEmailDomains: ['intruder.example'] } },
    })),
  },
  {
    name: 'deleteOrganization(organizationId) with its slug',
    field: 'Mutation.deleteOrganization',
    run: query('mutation($input: DeleteOrganizationInput!) { deleteOrganization(input: $input) { organizationId deletedAt } }', (t) => ({
      input: { organizationId: t.organizationId, confirmSlug: t.slug },
    })),
  },
  {
    name: 'updateMemberRole(membershipId)',
    field: 'Mutation.updateMemberRole',
    run: query('mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id role user { id } } }', (t) => ({
      input: { membershipId: t.membershipId, role: 'VIEWER' },
    })),
  },
  {
    name: "updateMemberRole(A's own membershipId, roleId)",
    field: 'Mutation.updateMemberRole',
    run: query('mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id role customRole { id key name permissions } } }', (t) => ({
      input: { membershipId: memberOfA, roleId: t.roleId },
    })),
  },
  { name: 'organization(id).roles', field: 'Query.organization', run: byOrganizationId('roles { id key name permissions memberCount }') },
  {
    name: 'organization(id).members(filter: search, roleId)',
    field: 'Query.organization',
    run: query('query($id: ID!, $roleId: ID) { organization(id: $id) { members(filter: { search: "bravo", roleId: $roleId }) { totalCount nodes { id user { id } } } } }', (t) => ({
      id: t.organizationId,
      roleId: t.roleId,
    })),
  },
  {
    name: 'createRole(organizationId)',
    field: 'Mutation.createRole',
    run: query('mutation($input: CreateRoleInput!) { createRole(input: $input) { id key } }', (t) => ({
      input: { organizationId: t.organizationId, key: 'intruder', name: 'Intruder', permissions: ['projects:read'] },
    })),
  },
  {
    name: 'updateRole(roleId)',
    field: 'Mutation.updateRole',
    run: query('mutation($input: UpdateRoleInput!) { updateRole(input: $input) { id key name permissions } }', (t) => ({
      input: { roleId: t.roleId, name: 'Hijacked', permissions: ['projects:read'] },
    })),
  },
  {
    name: 'deleteRole(roleId)',
    field: 'Mutation.deleteRole',
    run: query('mutation($input: DeleteRoleInput!) { deleteRole(input: $input) { roleId organizationId } }', (t) => ({ input: { roleId: t.roleId } })),
  },
  { name: 'organization(id).invitations', field: 'Query.organization', run: byOrganizationId(`invitations(first: 100) { ${CONNECTION('id email role status expiresAt invitedBy { id }')} }`) },
  {
    name: 'inviteMember(organizationId)',
    field: 'Mutation.inviteMember',
    run: query('mutation($input: InviteMemberInput!) { inviteMember(input: $input) { acceptUrl invitation { id organization { id name } } } }', (t) => ({
      input: { organizationId: t.organizationId, email: 'intruder@example.com', role: 'VIEWER' },
    })),
  },
  {
    name: "inviteMember(A's own organizationId, roleId)",
    field: 'Mutation.inviteMember',
    run: query('mutation($input: InviteMemberInput!) { inviteMember(input: $input) { acceptUrl invitation { id customRole { id key name permissions } } } }', (t) => ({
      input: { organizationId: orgA.id, email: 'intruder@example.com', roleId: t.roleId },
    })),
  },
  {
    name: 'resendInvitation(invitationId)',
    field: 'Mutation.resendInvitation',
    run: query('mutation($input: ResendInvitationInput!) { resendInvitation(input: $input) { acceptUrl invitation { id email } } }', (t) => ({ input: { invitationId: t.invitationId } })),
  },
  {
    name: 'revokeInvitation(invitationId)',
    field: 'Mutation.revokeInvitation',
    run: query('mutation($input: RevokeInvitationInput!) { revokeInvitation(input: $input) { id email status } }', (t) => ({ input: { invitationId: t.invitationId } })),
  },
  { name: 'organization(id).domains', field: 'Query.organization', run: byOrganizationId('domains { id domain status createdAt verifiedAt verificationRecord { name value } }') },
  {
    name: 'organization(id).joinRequests',
    field: 'Query.organization',
    run: byOrganizationId(`joinRequests(first: 10, status: PENDING) { ${CONNECTION('id status email createdAt decidedAt user { id }')} }`),
  },
  {
    name: 'addDomain(organizationId)',
    field: 'Mutation.addDomain',
    run: query('mutation($input: AddDomainInput!) { addDomain(input: $input) { id domain verificationRecord { name value } } }', (t) => ({
      input: { organizationId: t.organizationId, domain: 'intruder-claim.test' },
    })),
  },
  {
    name: 'verifyDomain(domainId)',
    field: 'Mutation.verifyDomain',
    run: query('mutation($input: VerifyDomainInput!) { verifyDomain(input: $input) { id domain status } }', (t) => ({ input: { domainId: t.domainId } })),
  },
  {
    name: 'removeDomain(domainId)',
    field: 'Mutation.removeDomain',
    run: query('mutation($input: RemoveDomainInput!) { removeDomain(input: $input) { domainId organizationId } }', (t) => ({ input: { domainId: t.domainId } })),
  },
  {
    name: 'requestToJoin(organizationId)',
    field: 'Mutation.requestToJoin',
    run: query('mutation($input: RequestToJoinInput!) { requestToJoin(input: $input) { id status email } }', (t) => ({ input: { organizationId: t.organizationId } })),
  },
  {
    name: 'approveJoinRequest(joinRequestId)',
    field: 'Mutation.approveJoinRequest',
    run: query('mutation($input: ApproveJoinRequestInput!) { approveJoinRequest(input: $input) { id status email user { id } } }', (t) => ({ input: { joinRequestId: t.joinRequestId } })),
  },
  {
    name: 'declineJoinRequest(joinRequestId)',
    field: 'Mutation.declineJoinRequest',
    run: query('mutation($input: DeclineJoinRequestInput!) { declineJoinRequest(input: $input) { id status email } }', (t) => ({ input: { joinRequestId: t.joinRequestId } })),
  },
  {
    name: 'cancelJoinRequest(joinRequestId)',
    field: 'Mutation.cancelJoinRequest',
    run: query('mutation($input: CancelJoinRequestInput!) { cancelJoinRequest(input: $input) { id status email } }', (t) => ({ input: { joinRequestId: t.joinRequestId } })),
  },
  {
    name: 'removeMember(membershipId)',
    field: 'Mutation.removeMember',
    run: query('mutation($input: RemoveMemberInput!) { removeMember(input: $input) { id role } }', (t) => ({ input: { membershipId: t.membershipId } })),
  },
  {
    name: 'transferOwnership(organizationId, toMembershipId)',
    field: 'Mutation.transferOwnership',
    run: query('mutation($input: TransferOwnershipInput!) { transferOwnership(input: $input) { id role } }', (t) => ({
      input: { organizationId: t.organizationId, toMembershipId: t.membershipId },
    })),
  },
  {
    name: 'leaveOrganization(organizationId)',
    field: 'Mutation.leaveOrganization',
    run: query('mutation($input: LeaveOrganizationInput!) { leaveOrganization(input: $input) { id } }', (t) => ({ input: { organizationId: t.organizationId } })),
  },
  {
    name: 'revokeSession(id)',
    field: 'Mutation.revokeSession',
    run: query('mutation($id: ID!) { revokeSession(id: $id) { id revokedAt userAgent ipAddress } }', (t) => ({ id: t.sessionId })),
  },
  {
    name: 'setActiveOrganization(organizationId)',
    field: 'Mutation.setActiveOrganization',
    run: query('mutation($input: SetActiveOrganizationInput!) { setActiveOrganization(input: $input) { id activeOrganization { id name } } }', (t) => ({
      input: { organizationId: t.organizationId },
    })),
  },
  {
    name: 'revokePersonalAccessToken(id)',
    field: 'Mutation.revokePersonalAccessToken',
    run: query('mutation($id: ID!) { revokePersonalAccessToken(id: $id) { id name prefix revokedAt } }', (t) => ({ id: t.tokenId })),
  },
];

/** Root fields that answer only about the caller: checked below to show nothing of B. */
const CALLERS_OWN = ['Query.viewer'];

/** Root fields that take no identifier of anything another user owns. */
const NOT_ORGANIZATION_SCOPED: Record<string, string> = {
  'Mutation.signUp': 'creates a new account',
  'Mutation.logIn': 'takes credentials, not an ID',
  'Mutation.refreshSession': 'takes a secret refresh token, not an ID',
  'Mutation.logOut': "ends the caller's current session",
  'Mutation.changePassword': "changes the caller's own password",
  'Mutation.createPersonalAccessToken': 'creates a token for the caller',
  'Mutation.requestEmailVerification': "emails a link to the caller's own address",
  'Mutation.verifyEmail': 'takes a secret token from an email, not an ID',
  'Mutation.requestPasswordReset': 'takes an email address and answers the same whether or not it has an account',
  'Mutation.resetPassword': 'takes a secret token from an email, not an ID',
  'Mutation.createOrganization': 'creates a new organization (a taken slug is a CONFLICT: slugs are global, tested below)',
  'Query.permissions': 'the permission catalogue, the same for every signed-in user',
  'Query.meters': "the deployment's price list, the same for every caller",
  'Mutation.acceptInvitation': 'takes a secret token from an email, not an ID, and needs the invited address verified (invitations.test.ts)',
  'Mutation.declineInvitation': 'takes a secret token from an email, not an ID, and needs the invited address verified (invitations.test.ts)',
  'Mutation.grantCredits': 'for platform operators only, in any organization; an owner is refused (credit-ledger.test.ts)',
  'Mutation.voidCreditGrant': 'for platform operators only, in any organization; an owner is refused (credit-ledger.test.ts)',
  'Mutation.setOverdraftLimit': 'for platform operators only, in any organization; an owner is refused (credit-ledger.test.ts)',
  'Mutation.recordUsage': "takes an environment's secret key, which records for its own environment only (usage-metering.test.ts)",
  'Mutation.recordUsageBatch': "takes an environment's secret key, which records for its own environment only (usage-metering.test.ts)",
};

let graph: TestGraph;
let dns: DnsServer;
let ownerA: SignedInUser;
let ownerB: SignedInUser;
let orgA: CreatedOrganization;
let orgB: CreatedOrganization;
let projectA: CreatedProject;
let b: Target;
/** A member of A's organization, whom A's owner may give roles. */
let memberOfA: string;
/** The address B's owner invited. */
const BRAVO_INVITEE = 'bravo-invitee@example.com';
/** Names and values of B that must never appear in an answer to A. */
let secretsOfB: string[];

beforeAll(async () => {
  dns = await startDnsServer();
  // Hundreds of attempts by one owner: the per-minute budget (cost-limits.test.ts) would refuse them first.
  graph = await startGraph({ env: { COST_PER_MINUTE: '0' }, serviceEnv: { organizations: { DNS_SERVERS: dns.address } } });
  ownerA = await signUp(graph, 'Alice Alpha');
  ownerB = await signUp(graph, 'Bob Bravo');

  orgA = await createOrganization(graph, ownerA, 'Alpha Org');
  projectA = await createProject(graph, ownerA, orgA.id, 'Alpha Project');
  await grantCredits(graph, orgA.id, 500);
  await recordUsage(graph, { organizationId: orgA.id, projectId: projectA.id, environmentId: projectA.environments[0].id, amount: 5, at: new Date('2026-11-02T00:00:00Z') });

  orgB = await createOrganization(graph, ownerB, 'Bravo Secret Org');
  const projectB = await createProject(graph, ownerB, orgB.id, 'Bravo Secret Project');
  await createProject(graph, ownerB, orgB.id, 'Bravo Other Project');
  await grantCredits(graph, orgB.id, 987_654);
  await recordUsage(graph, { organizationId: orgB.id, projectId: projectB.id, environmentId: projectB.environments[1].id, amount: 43_219, at: new Date('2026-11-03T00:00:00Z') });

  b = {
    organizationId: orgB.id,
    slug: orgB.slug,
    projectId: projectB.id,
    environmentId: projectB.environments[1].id,
    sessionId: await currentSessionId(graph, ownerB),
    tokenId: (await createToken(graph, ownerB, 'Bravo CI')).id,
    membershipId: await membershipIdOf(graph, ownerB, orgB.id, ownerB.id),
    roleId: await createRole(graph, ownerB, orgB.id, ['members:read', 'billing:read'], 'bravo-secret-role'),
    apiKeyId: expectOk(
      await graph.request<{ createApiKey: { apiKey: { id: string } } }>(
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }',
        { input: { environmentId: projectB.environments[1].id, kind: 'SECRET', name: 'Bravo Secret Key' } },
        ownerB.token,
      ),
    ).createApiKey.apiKey.id,
    invitationId: expectOk(
      await graph.request<{ inviteMember: { invitation: { id: string } } }>(
        'mutation($input: InviteMemberInput!) { inviteMember(input: $input) { invitation { id } } }',
        { input: { organizationId: orgB.id, email: BRAVO_INVITEE, role: 'ADMIN' } },
        ownerB.token,
      ),
    ).inviteMember.invitation.id,
    domainId: (await verifiedDomain(graph, dns, ownerB, orgB.id, 'bravo-secret-domain.test')).id,
    joinRequestId: '',
  };
  // A pending request to join B, from a user at B's verified domain.
  await setEnrollmentMode(graph, ownerB, orgB.id, 'AUTOMATIC_SUGGESTION');
  const requester = await verifiedUserAt(graph, 'bravo-secret-domain.test', 'Bravo Requester');
  b.joinRequestId = await requestToJoin(graph, requester, orgB.id);
  const memberA = await signUp(graph, 'Ann Alpha');
  await addMember(graph, orgA.id, memberA, 'VIEWER');
  memberOfA = await membershipIdOf(graph, ownerA, orgA.id, memberA.id);
  secretsOfB = [BRAVO_INVITEE, 'Bravo Secret Key', 'bravo-secret-domain', 'Bravo Requester', 'bravo-secret-role', 'Bravo Secret Org', 'Bravo Secret Project', 'Bravo Other Project', 'Bravo CI', 'Bob Bravo', ownerB.email, ownerB.id, '987654', '944435', '43219'];
});
afterAll(async () => {
  await graph?.stop();
  await dns?.stop();
});


/** IDs that never existed, well formed. */
const missing = (): Target => ({
  organizationId: newId('org'),
  slug: unique('org'),
  projectId: newId('prj'),
  environmentId: newId('env'),
  sessionId: newId('ses'),
  tokenId: newId('tok'),
  membershipId: newId('mem'),
  roleId: newId('role'),
  apiKeyId: newId('key'),
  invitationId: newId('inv'),
  domainId: newId('dom'),
  joinRequestId: newId('jrq'),
});

const NON_EXISTENT: [string, () => Target][] = [
  ['well-formed IDs that never existed', missing],
  [
    'malformed IDs',
    () => ({
      organizationId: 'not-an-id',
      slug: 'Not A Slug!',
      projectId: 'not-an-id',
      environmentId: 'not-an-id',
      sessionId: 'not-an-id',
      tokenId: 'not-an-id',
      membershipId: 'not-an-id',
      roleId: 'not-an-id',
      invitationId: 'not-an-id',
      apiKeyId: 'not-an-id',
      domainId: 'not-an-id',
      joinRequestId: 'not-an-id',
    }),
  ],
  ['empty IDs', () => ({ organizationId: '', slug: '', projectId: '', environmentId: '', sessionId: '', tokenId: '', membershipId: '', roleId: '', invitationId: '', apiKeyId: '', domainId: '', joinRequestId: '' })],
  [
    "B's IDs of the wrong kind",
    () => ({
      organizationId: b.projectId,
      slug: b.organizationId,
      projectId: b.environmentId,
      environmentId: b.organizationId,
      sessionId: b.tokenId,
      tokenId: b.sessionId,
      membershipId: b.organizationId,
      roleId: b.membershipId,
      apiKeyId: b.roleId,
      invitationId: b.membershipId,
      domainId: b.joinRequestId,
      joinRequestId: b.domainId,
    }),
  ],
  [
    'IDs of a well-formed kind with a foreign prefix',
    () => ({
      ...missing(),
      organizationId: newId('prj'),
      projectId: newId('env'),
      environmentId: newId('prj'),
      sessionId: newId('tok'),
      tokenId: newId('ses'),
      membershipId: newId('org'),
      roleId: newId('mem'),
      invitationId: newId('mem'),
      apiKeyId: newId('env'),
      domainId: newId('jrq'),
      joinRequestId: newId('dom'),
    }),
  ],
];

/**
 * What B's owner sees of B, and of their own credentials: nothing A tries may change it. Pages of 10 (B has fewer),
 * so the many calls stay within one user's cost budget per minute.
 */
async function stateOfB() {
  const response = await graph.request(
    `query($id: ID!, $from: DateTime!, $to: DateTime!) {
      organization(id: $id) {
        id slug name
        members(first: 10) { totalCount nodes { id role user { id } } }
        roles { id key name description permissions memberCount }
        invitations(first: 10) { totalCount nodes { id email role status expiresAt } }
        domains { id domain status verifiedAt }
        joinRequests(first: 10) { totalCount nodes { id status decidedAt } }
        projects(first: 10) { totalCount nodes { id name environments { id mode configuration } creditUsage(from: $from, to: $to) { total } } }
        creditBalance { available granted used }
        creditUsage(from: $from, to: $to) { total }
      }
      viewer { sessions { id revokedAt } personalAccessTokens { id name revokedAt } memberships { totalCount nodes { organization { id } } } }
    }`,
    { id: orgB.id, ...PERIOD },
    ownerB.token,
  );
  return expectOk(response);
}

function leaves(value: unknown): unknown[] {
  if (value === null || typeof value !== 'object') return [value];
  return Object.values(value).flatMap(leaves);
}

describe.each(ATTEMPTS.map((attempt) => [attempt.name, attempt] as const))("%s with B's IDs, as A's owner", (_name, attempt) => {
  it('is refused, shows nothing of B, and changes nothing', async () => {
    const before = await stateOfB();
    const response = await attempt.run(ownerA, b);
    expect(codes(response)?.length).toBeGreaterThan(0);
    for (const code of codes(response)!) expect(['NOT_FOUND', 'FORBIDDEN']).toContain(code);
    expect(leaves(response.data ?? null).filter((v) => v !== null)).toEqual([]);
    const text = JSON.stringify(response);
    for (const secret of secretsOfB) expect(text).not.toContain(secret);
    expect(await stateOfB()).toEqual(before);
  });

  it.each(NON_EXISTENT)('answers exactly as for %s', async (_kind, target) => {
    const forB = await attempt.run(ownerA, b);
    const forNothing = await attempt.run(ownerA, target());
    expect(forB).toEqual(forNothing);
  });
});

describe("what A's owner sees of their own account", () => {
  it('lists only their own organizations, sessions and tokens', async () => {
    const response = await graph.request<{ viewer: { memberships: { totalCount: number; nodes: { organization: { id: string } }[] } } }>(
      `{ viewer { id memberships(first: 100) { totalCount nodes { role organization { id slug name } } } sessions { id } personalAccessTokens { id } } }`,
      {},
      ownerA.token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.viewer.memberships.totalCount).toBe(1);
    expect(response.data!.viewer.memberships.nodes.map((m) => m.organization.id)).toEqual([orgA.id]);
    const text = JSON.stringify(response);
    for (const secret of [...secretsOfB, b.sessionId, b.tokenId, orgB.id, orgB.slug]) expect(text).not.toContain(secret);
  });
});

describe("B's owner met in an organization both belong to", () => {
  let shared: CreatedOrganization;
  beforeAll(async () => {
    shared = await createOrganization(graph, ownerA, 'Shared Org');
    await addMember(graph, shared.id, ownerB, 'VIEWER');
  });

  const MEMBERS = `query($id: ID!) { organization(id: $id) { members(first: 100) { nodes { user { id SELECTION } } } } }`;
  const otherMember = (response: GraphQLResponse) =>
    ((response.data?.organization as { members: { nodes: { user: Record<string, unknown> }[] } } | null)?.members.nodes ?? []).map((m) => m.user).find(
      (user) => user.id === ownerB.id,
    );

  it("shows only the organizations they share, not B's own", async () => {
    const response = await graph.request(
      MEMBERS.replace('SELECTION', 'memberships(first: 100) { totalCount nodes { role organization { id name } } }'),
      { id: shared.id },
      ownerA.token,
    );
    expect(response.errors).toBeUndefined();
    expect(otherMember(response)?.memberships).toEqual({ totalCount: 1, nodes: [{ role: 'VIEWER', organization: { id: shared.id, name: 'Shared Org' } }] });
    expect(JSON.stringify(response)).not.toContain(orgB.id);
  });

  it.each([['sessions', 'sessions { id }'], ['personalAccessTokens', 'personalAccessTokens { id }']])("refuses B's owner's %s", async (_field, selection) => {
    const response = await graph.request(MEMBERS.replace('SELECTION', selection), { id: shared.id }, ownerA.token);
    expect(codes(response)).toEqual(['FORBIDDEN']);
    const text = JSON.stringify(response);
    expect(text).not.toContain(b.sessionId);
    expect(text).not.toContain(b.tokenId);
  });
});

describe('a slug another organization holds', () => {
  it('cannot be taken by createOrganization, and B is unchanged', async () => {
    const before = await stateOfB();
    const response = await graph.request('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', { input: { name: 'Copycat', slug: orgB.slug } }, ownerA.token);
    expect(codes(response)).toEqual(['CONFLICT']);
    const text = JSON.stringify(response);
    for (const secret of secretsOfB) expect(text).not.toContain(secret);
    expect(await stateOfB()).toEqual(before);
  });
});

describe("a slug another organization holds, by renaming A", () => {
  it('is a CONFLICT, and B is unchanged', async () => {
    const before = await stateOfB();
    const response = await graph.request('mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id } }', { input: { organizationId: orgA.id, slug: orgB.slug } }, ownerA.token);
    expect(codes(response)).toEqual(['CONFLICT']);
    const text = JSON.stringify(response);
    for (const secret of secretsOfB) expect(text).not.toContain(secret);
    expect(await stateOfB()).toEqual(before);
  });
});

describe('federation internals through the gateway', () => {
  it.each([
    ['_entities', `{ _entities(representations: [{ __typename: "Organization", id: "ORG", viewerPermissions: ["billing:read"] }]) { __typename } }`],
    ['_service', '{ _service { sdl } }'],
  ])('%s is not part of the API: a validation error, nothing resolved', async (_field, document) => {
    const response = await graph.request(document.replace('ORG', orgB.id), {}, ownerA.token);
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.data).toBeUndefined();
  });
});

describe('a subgraph called straight, with the router secret: forged representations unlock nothing', () => {
  type Representation = { __typename: string; id: string; [field: string]: unknown };
  const entities = (selection: string) =>
    `query($r: [_Any!]!${selection.includes('$from') ? ', $from: DateTime!, $to: DateTime!' : ''}) { _entities(representations: $r) { ${selection} } }`;
  const BILLING_FIELDS = entities(`
    ... on Organization {
      creditBalance { available granted used } creditUsage(from: $from, to: $to) { total byDay { date amount } }
      billing { balance { available } grants { nodes { id amount } } ledgerEntries { nodes { id amount balanceAfter } } alerts { totalCount } }
    }
    ... on Project { creditUsage(from: $from, to: $to) { total byDay { date amount } } }
    ... on Environment { creditUsage(from: $from, to: $to) { total byDay { date amount } } }`);
  const USER_FIELDS = entities('... on User { id email name createdAt }');
  const atBilling = (representation: Representation, token: string) => asRouter(graph, graph.subgraphs.billing.url).request(BILLING_FIELDS, { r: [representation], ...PERIOD }, token);
  const atIdentity = (representation: Representation, token?: string) => asRouter(graph, graph.subgraphs.identity.url).request(USER_FIELDS, { r: [representation] }, token);

  /** The claim organizations signs for `caller` on an entity, asked of organizations as a router would. */
  async function claimOf(caller: SignedInUser, __typename: string, id: string): Promise<string> {
    const response = await asRouter(graph, graph.subgraphs.organizations.url).request<{ _entities: { viewerPermissionsClaim: string | null }[] }>(
      entities(`... on ${__typename} { viewerPermissionsClaim }`),
      { r: [{ __typename, id }] },
      caller.token,
    );
    const claim = expectOk(response)._entities[0]?.viewerPermissionsClaim;
    if (!claim) throw new Error(`organizations signed no claim for ${__typename} ${id}`);
    return claim;
  }

  /** A caller's part of a claim signed with organizations' real key, saying whatever the test wants, as a copy of the key would. */
  async function signedWithOrganizationsKey(payload: Record<string, unknown>, expiresAt: Date): Promise<string> {
    const [key]: { id: string; private_jwk: JWK }[] = await graph.subgraphs.organizations.db.query(
      'SELECT id, private_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1',
    );
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: key.id, typ: 'perm+jwt' })
      .setIssuer('organizations')
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(await importJWK(key.private_jwk, 'ES256'));
  }

  let carol: SignedInUser;
  let dana: SignedInUser;
  beforeAll(async () => {
    // Carol shares no organization with A's owner; Dana is a member of A.
    carol = await signUp(graph, 'Carol Charlie');
    await createOrganization(graph, carol, 'Charlie Org');
    dana = await signUp(graph, 'Dana Delta');
    await addMember(graph, orgA.id, dana, 'MEMBER');
  });

  describe('at billing, as A’s owner', () => {
    /** Each of B's entities billing extends, with what a caller who holds no permission there gets for it. */
    const targets = () => [
      { __typename: 'Organization', id: b.organizationId },
      { __typename: 'Project', id: b.projectId },
      { __typename: 'Environment', id: b.environmentId },
    ];

    const FORGERIES: [string, (target: Representation) => Promise<Representation>][] = [
      ["viewerPermissions, as billing used to take them", async (t) => ({ ...t, viewerPermissions: ['billing:read', 'billing:manage'] })],
      ['a made-up claim', async (t) => ({ ...t, viewerPermissionsClaim: 'eyJhbGciOiJub25lIn0.eyJwZXJtIjpbImJpbGxpbmc6cmVhZCJdfQ.' })],
      ['a claim signed with a key of its own', async (t) => ({ ...t, viewerPermissionsClaim: await new SignJWT({ ...callerPartPayload(ownerA.id, await currentSessionId(graph, ownerA), b.organizationId, ['organization:read', 'billing:read']) }).setProtectedHeader({ alg: 'HS256', typ: 'perm+jwt' }).setIssuer('organizations').setExpirationTime('1m').sign(new Uint8Array(32)) })],
      ["a real claim for A's own organization", async (t) => ({ ...t, viewerPermissionsClaim: await claimOf(ownerA, 'Organization', orgA.id) })],
      ["a real claim for A's own project", async (t) => ({ ...t, viewerPermissionsClaim: await claimOf(ownerA, 'Project', projectA.id) })],
      ["a real claim for A's own environment", async (t) => ({ ...t, viewerPermissionsClaim: await claimOf(ownerA, 'Environment', projectA.environments[1].id) })],
      ["B's owner's real claim for that very entity, replayed by another caller", async (t) => ({ ...t, viewerPermissionsClaim: await claimOf(ownerB, t.__typename, t.id) })],
      [
        "A's real permissions in A's organization, with the part of B's owner's claim that says the entity belongs to B",
        async (t) => {
          const [permissionsOfA] = (await claimOf(ownerA, 'Organization', orgA.id)).split(' ');
          const [, entityOfB = ''] = (await claimOf(ownerB, t.__typename, t.id)).split(' ');
          return { ...t, viewerPermissionsClaim: `${permissionsOfA} ${entityOfB}`.trim() };
        },
      ],
    ];

    it.each(FORGERIES)('with %s, answers exactly as for a caller without billing:read, and shows nothing of B', async (_forgery, forge) => {
      for (const target of targets()) {
        const withoutClaim = await atBilling(target, ownerA.token);
        expect(codes(withoutClaim)).toEqual(target.__typename === 'Organization' ? ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'] : ['FORBIDDEN']);
        const forged = await atBilling(await forge(target), ownerA.token);
        expect(forged).toEqual(withoutClaim);
        for (const secret of secretsOfB) expect(JSON.stringify(forged)).not.toContain(secret);
      }
    });

    it("refuses A's own claims once expired, though they were signed by organizations for A and A's entity", async () => {
      const own = { __typename: 'Organization', id: orgA.id };
      const fresh = await atBilling({ ...own, viewerPermissionsClaim: await claimOf(ownerA, own.__typename, own.id) }, ownerA.token);
      expect(expectOk(fresh)).toEqual({
        _entities: [{ creditBalance: { available: 495, granted: 500, used: 5 }, creditUsage: { total: 5, byDay: expect.any(Array) }, billing: expect.objectContaining({ balance: { available: 495 } }) }],
      });

      const claimOfA = { ...callerPartPayload(ownerA.id, await currentSessionId(graph, ownerA), orgA.id, ['organization:read', 'billing:read']) };
      const stillValid = await signedWithOrganizationsKey(claimOfA, new Date(Date.now() + 60_000));
      expect(expectOk(await atBilling({ ...own, viewerPermissionsClaim: stillValid }, ownerA.token))).toEqual(expectOk(fresh));
      const expired = await signedWithOrganizationsKey(claimOfA, new Date(Date.now() - 1_000));
      expect(await atBilling({ ...own, viewerPermissionsClaim: expired }, ownerA.token)).toEqual(await atBilling(own, ownerA.token));
    });

    it("refuses A's claim on A's other session, and without a token", async () => {
      const own = { __typename: 'Organization', id: orgA.id, viewerPermissionsClaim: await claimOf(ownerA, 'Organization', orgA.id) };
      const otherSession = await logIn(graph, ownerA);
      expect(await atBilling(own, otherSession.token)).toEqual(await atBilling({ __typename: 'Organization', id: orgA.id }, otherSession.token));
      expect(codes(await asRouter(graph, graph.subgraphs.billing.url).request(BILLING_FIELDS, { r: [own], ...PERIOD }))).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    });
  });

  describe('at identity', () => {
    it('answers nothing about a user without a token, whatever the representation carries', async () => {
      const forged = await claimOf(ownerA, 'User', dana.id);
      for (const representation of [
        { __typename: 'User', id: carol.id },
        { __typename: 'User', id: dana.id, viewerPermissionsClaim: forged },
      ]) {
        const response = await atIdentity(representation);
        expect(response).toEqual({ status: 200, data: { _entities: [null] } });
      }
    });

    it("answers nothing about a user A's owner shares no organization with, exactly as for a user that does not exist", async () => {
      const nobody = await atIdentity({ __typename: 'User', id: newId('usr') }, ownerA.token);
      expect(nobody).toEqual({ status: 200, data: { _entities: [null] } });
      for (const claim of [undefined, 'not-a-claim', await claimOf(ownerA, 'User', dana.id), await claimOf(carol, 'Organization', (await carolsOrganization()).id)]) {
        const response = await atIdentity({ __typename: 'User', id: carol.id, ...(claim ? { viewerPermissionsClaim: claim } : {}) }, ownerA.token);
        expect(response).toEqual(nobody);
      }
    });

    it('organizations signs no claim for a user A shares no organization with', async () => {
      await expect(claimOf(ownerA, 'User', carol.id)).rejects.toThrow(/signed no claim/);
    });

    it('answers a fellow member with the claim organizations signed, and the user themself without one', async () => {
      const member = await atIdentity({ __typename: 'User', id: dana.id, viewerPermissionsClaim: await claimOf(ownerA, 'User', dana.id) }, ownerA.token);
      expect(expectOk(member)).toEqual({ _entities: [{ id: dana.id, email: dana.email, name: 'Dana Delta', createdAt: expect.any(String) }] });
      const self = await atIdentity({ __typename: 'User', id: carol.id }, carol.token);
      expect(expectOk(self)).toEqual({ _entities: [{ id: carol.id, email: carol.email, name: 'Carol Charlie', createdAt: expect.any(String) }] });
    });

    async function carolsOrganization() {
      const response = await graph.request<{ viewer: { memberships: { nodes: { organization: { id: string } }[] } } }>(
        '{ viewer { memberships { nodes { organization { id } } } } }',
        {},
        carol.token,
      );
      return expectOk(response).viewer.memberships.nodes[0].organization;
    }
  });
});

describe('the isolation table', () => {
  it('lists every root Query and Mutation field of the API (a new one needs attempts, or a reason it is not organization-scoped)', () => {
    const schema = committedApiSchema();
    const rootFields = [schema.getQueryType(), schema.getMutationType()].flatMap((type) => (type ? Object.keys(type.getFields()).map((f) => `${type.name}.${f}`) : []));
    const listed = [...new Set([...ATTEMPTS.map((a) => a.field), ...CALLERS_OWN, ...Object.keys(NOT_ORGANIZATION_SCOPED)])];
    expect(rootFields.filter((f) => !listed.includes(f)).sort()).toEqual([]);
    expect(listed.filter((f) => !rootFields.includes(f)).sort()).toEqual([]);
  });
});
