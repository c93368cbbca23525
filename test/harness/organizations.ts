// Organizations and their projects, arranged through the API; members, credits and usage through the owning subgraph until their APIs exist.
import { newId, type Role } from '@orgapi/shared';
import { randomUUID } from 'node:crypto';
import { LedgerService, MeteringService } from '@orgapi/billing';
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

/** Grants promotional credits through billing's ledger service, as the demo seed does (the API needs a platform operator: harness/billing.ts). */
export async function grantCredits(graph: TestGraph, organizationId: string, amount: number): Promise<void> {
  await new LedgerService(graph.subgraphs.billing.db.manager).grant({ organizationId, amount, category: 'PROMOTIONAL', description: 'test grant' }, { type: 'SYSTEM', id: null });
}

/**
 * Records usage through billing's metering service as a secret key of the environment would, at `at` (so dates of
 * any age are accepted): `amount` credits for `quantity` units (default: as many as credits) on `meter` (default
 * `requests`), charged to the ledger unless `mode` is SANDBOX. The mode is the caller's to state (default LIVE), whatever
 * the environment's is: reports group by it. Tests of the API's own rules use the recordUsage mutation instead.
 */
export async function recordUsage(
  graph: TestGraph,
  usage: { organizationId: string; projectId: string; environmentId: string; amount: number; at: Date; meter?: string; mode?: 'SANDBOX' | 'LIVE'; quantity?: number },
): Promise<void> {
  const meter = usage.meter ?? 'requests';
  const quantity = usage.quantity ?? usage.amount;
  const mode = usage.mode ?? 'LIVE';
  const creditsPerUnit = mode === 'SANDBOX' || quantity === 0 ? 1 : usage.amount / quantity;
  if (!Number.isInteger(creditsPerUnit)) throw new Error(`recordUsage: ${usage.amount} credits for ${quantity} units is not a whole price per unit`);
  const metering = new MeteringService(graph.subgraphs.billing.db.manager, [{ name: meter, description: meter, creditsPerUnit }]);
  const key = { keyId: 'key_test', kind: 'SECRET' as const, organizationId: usage.organizationId, projectId: usage.projectId, environmentId: usage.environmentId, mode };
  await metering.record(key, [{ meter, quantity, idempotencyKey: randomUUID(), occurredAt: usage.at }], { batch: false, now: new Date(usage.at.getTime() + 1_000) });
}
