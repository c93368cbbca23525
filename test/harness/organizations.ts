// Organizations and their projects, arranged through the API; members, credits and usage through the owning subgraph until their APIs exist.
import { newId, type Role } from '@orgapi/shared';
import type { Api } from './api';
import { expectOk } from './expect';
import type { TestGraph } from './graph';
import { unique } from './unique';

export interface CreatedOrganization {
  id: string;
  slug: string;
  name: string;
}

export interface CreatedProject {
  id: string;
  name: string;
  environments: { id: string; mode: 'SANDBOX' | 'LIVE' }[];
}

const CREATE_ORGANIZATION = 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id slug name } }';
const CREATE_PROJECT = 'mutation($input: CreateProjectInput!) { createProject(input: $input) { id name environments { id mode } } }';

/** Asks, as `user`, to create an organization with this input; the answer may be a refusal. */
export const attemptCreateOrganization = (api: Api, user: { token: string }, input: { name: string; slug?: string | null }) =>
  api.request<{ createOrganization: CreatedOrganization }>(CREATE_ORGANIZATION, { input }, user.token);

/** Asks, as `user`, to create a project with this input; the answer may be a refusal. */
export const attemptCreateProject = (api: Api, user: { token: string }, input: { organizationId: string; name: string }) =>
  api.request<{ createProject: CreatedProject }>(CREATE_PROJECT, { input }, user.token);

/** A new organization with a fresh slug, owned by `owner`. */
export async function createOrganization(api: Api, owner: { token: string }, name = 'Test Org'): Promise<CreatedOrganization> {
  return expectOk(await attemptCreateOrganization(api, owner, { name, slug: unique('org') })).createOrganization;
}

/** A new project, with the environments every project starts with. */
export async function createProject(api: Api, user: { token: string }, organizationId: string, name = unique('project')): Promise<CreatedProject> {
  return expectOk(await attemptCreateProject(api, user, { organizationId, name })).createProject;
}

/** Adds a member directly in the organizations schema: invitations are a later issue. */
/** The ID of the membership `userId` holds in the organization, as `viewer` (a member who may read members) sees the list. */
export async function membershipIdOf(api: Api, viewer: { token: string }, organizationId: string, userId: string): Promise<string> {
  const data = expectOk(
    await api.request<{ organization: { members: { nodes: { id: string; user: { id: string } }[] } } }>(
      'query($id: ID!) { organization(id: $id) { members(first: 100) { nodes { id user { id } } } } }',
      { id: organizationId },
      viewer.token,
    ),
  );
  const membership = data.organization.members.nodes.find((member) => member.user.id === userId);
  if (!membership) throw new Error(`${userId} is not a member of ${organizationId}`);
  return membership.id;
}

export async function addMember(graph: TestGraph, organizationId: string, user: { id: string }, role: Role): Promise<void> {
  await graph.subgraphs.organizations.db.query('INSERT INTO memberships (id, organization_id, user_id, role) VALUES ($1, $2, $3, $4)', [
    newId('mem'),
    organizationId,
    user.id,
    role,
  ]);
}

/** Grants credits directly in the billing schema: the credit-grant API is a later issue. */
export async function grantCredits(graph: TestGraph, organizationId: string, amount: number): Promise<void> {
  await graph.subgraphs.billing.db.query('INSERT INTO credit_grants (id, organization_id, amount, reason) VALUES ($1, $2, $3, $4)', [
    newId('grt'),
    organizationId,
    amount,
    'test grant',
  ]);
}

/** Records usage directly in the billing schema: the usage-recording API is a later issue. */
export async function recordUsage(
  graph: TestGraph,
  usage: { organizationId: string; projectId: string; environmentId: string; amount: number; at: Date },
): Promise<void> {
  await graph.subgraphs.billing.db.query(
    `INSERT INTO usage_events (id, organization_id, project_id, environment_id, metric, quantity, amount, occurred_at)
     VALUES ($1, $2, $3, $4, 'api_call', $5, $5, $6)`,
    [newId('use'), usage.organizationId, usage.projectId, usage.environmentId, usage.amount, usage.at],
  );
}
