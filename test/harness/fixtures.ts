// Arranges test data through the API, and (until their APIs exist) credits and extra members through the owning subgraph.
import { randomBytes } from 'node:crypto';
import { newId } from '@orgapi/shared';
import type { TestGraph } from './graph';

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export interface SignedInUser {
  id: string;
  email: string;
  token: string;
}

export async function signUp(graph: TestGraph, name = 'Test User'): Promise<SignedInUser> {
  const email = `${unique('user')}@example.com`;
  const response = await graph.request<{ signUp: { accessToken: string; user: { id: string } } }>(
    'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }',
    { input: { email, password: 'correct horse battery', name } },
  );
  if (!response.data) throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
  return { id: response.data.signUp.user.id, email, token: response.data.signUp.accessToken };
}

export async function createOrganization(graph: TestGraph, owner: SignedInUser, name = 'Test Org'): Promise<{ id: string; slug: string }> {
  const response = await graph.request<{ createOrganization: { id: string; slug: string } }>(
    'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id slug } }',
    { input: { name, slug: unique('org') } },
    owner.token,
  );
  if (!response.data) throw new Error(`createOrganization failed: ${JSON.stringify(response.errors)}`);
  return response.data.createOrganization;
}

export interface CreatedProject {
  id: string;
  environments: { id: string; mode: 'SANDBOX' | 'LIVE' }[];
}

export async function createProject(graph: TestGraph, user: SignedInUser, organizationId: string, name = unique('project')): Promise<CreatedProject> {
  const response = await graph.request<{ createProject: CreatedProject }>(
    'mutation($input: CreateProjectInput!) { createProject(input: $input) { id environments { id mode } } }',
    { input: { organizationId, name } },
    user.token,
  );
  if (!response.data) throw new Error(`createProject failed: ${JSON.stringify(response.errors)}`);
  return response.data.createProject;
}

/** Adds a member directly in the organizations schema: invitations are a later issue. */
export async function addMember(graph: TestGraph, organizationId: string, user: SignedInUser, role: string): Promise<void> {
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
