// Every access rule of the organizations subgraph: the caller's membership checked against the shared permission
// matrix, and the claims by which organizations vouches for it to the subgraphs that extend its entities.
import { forbidden, isId, notFound, requireViewer, type ClaimedEntity, type Permission } from '@orgapi/shared';
import type { ApiKey } from './api-keys/api-key.type';
import type { OrganizationsContext } from './context';
import type { Environment } from './environments/environment.type';
import type { Membership, User } from './memberships/membership.type';
import type { Project } from './projects/project.type';
import type { MemberRole } from './roles/role-rules';

/**
 * The caller's membership in an organization, with its effective permissions (its built-in role's, or its custom
 * role's). A non-member gets NOT_FOUND, exactly as for an organization that does not exist, so outsiders cannot probe
 * which IDs are real.
 */
export async function viewerMembership(context: OrganizationsContext, organizationId: string, what = 'Organization'): Promise<Membership> {
  requireViewer(context);
  const membership = await context.loaders.viewerMembership.load(organizationId);
  if (!membership) throw notFound(what);
  return membership;
}

/** The caller's role in an organization (CUSTOM for a custom role); NOT_FOUND for a non-member. */
export async function memberRole(context: OrganizationsContext, organizationId: string, what = 'Organization'): Promise<MemberRole> {
  return (await viewerMembership(context, organizationId, what)).role;
}

/**
 * Checks the caller holds `permission` in the organization, through their built-in or custom role: NOT_FOUND for
 * outsiders, FORBIDDEN for members without it.
 */
export async function authorize(context: OrganizationsContext, organizationId: string, permission: Permission, what = 'Organization'): Promise<Membership> {
  const membership = await viewerMembership(context, organizationId, what);
  if (!membership.permissions.includes(permission)) {
    const role = membership.role === 'CUSTOM' ? 'custom role' : `role (${membership.role})`;
    throw forbidden(`Your ${role} does not allow ${permission} in this organization.`);
  }
  return membership;
}

/** `authorize` for an organization ID a client sent as input: NOT_FOUND unless it names an existing organization. */
export async function authorizeOrganization(context: OrganizationsContext, organizationId: string, permission: Permission): Promise<Membership> {
  requireViewer(context);
  if (!isId(organizationId, 'org') || !(await context.loaders.organization.load(organizationId))) throw notFound('Organization');
  return authorize(context, organizationId, permission);
}

/** The caller's role in an organization a client named as input, refusing a malformed ID before any SQL. */
export async function authorizeMember(context: OrganizationsContext, organizationId: string): Promise<MemberRole> {
  requireViewer(context);
  if (!isId(organizationId, 'org')) throw notFound('Organization');
  return memberRole(context, organizationId);
}

/**
 * A project the caller may read, or NOT_FOUND (the same for a missing project and another organization's). A secret
 * API key reads its own project; any other project is NOT_FOUND to it, as to an outsider.
 */
export function authorizeProject(context: OrganizationsContext, id: string): Promise<Project> {
  if (context.apiKey) return keyReads('Project', id === context.apiKey.projectId && context.apiKey.kind === 'SECRET', () => context.loaders.project.load(id));
  return authorizeRead(context, 'Project', () => (isId(id, 'prj') ? context.loaders.project.load(id) : null));
}

/**
 * A project the caller may change with `permission`: NOT_FOUND when they cannot read it (as for a project that does
 * not exist), FORBIDDEN when they can but their role does not allow the change.
 */
export async function authorizeProjectChange(context: OrganizationsContext, id: string, permission: Permission): Promise<Project> {
  const project = await authorizeProject(context, id);
  await authorize(context, project.organizationId, permission, 'Project');
  return project;
}

/** An environment the caller may change with `permission`: NOT_FOUND when they cannot read it, FORBIDDEN when their role does not allow it. */
export async function authorizeEnvironmentChange(context: OrganizationsContext, id: string, permission: Permission): Promise<Environment> {
  const environment = await authorizeEnvironment(context, id);
  await authorize(context, environment.organizationId, permission, 'Environment');
  return environment;
}

/** A key of an environment the caller may read, checked for `permission`: NOT_FOUND as for a key that does not exist otherwise. */
export async function authorizeApiKey(context: OrganizationsContext, id: string, permission: Permission): Promise<ApiKey> {
  requireViewer(context);
  const key = isId(id, 'key') ? await context.loaders.apiKey.load(id) : null;
  // A key of a deleted project is gone with it: its environment no longer loads.
  if (!key || !(await context.loaders.environment.load(key.environmentId))) throw notFound('API key');
  await authorize(context, key.organizationId, permission, 'API key');
  return key;
}

/**
 * An environment the caller may read, or NOT_FOUND (the same for a missing environment and another organization's).
 * An API key reads its own environment only: another, of its project's other mode included, is NOT_FOUND to it.
 */
export function authorizeEnvironment(context: OrganizationsContext, id: string): Promise<Environment> {
  if (context.apiKey) return keyReads('Environment', id === context.apiKey.environmentId, () => context.loaders.environment.load(id));
  return authorizeRead(context, 'Environment', () => (isId(id, 'env') ? context.loaders.environment.load(id) : null));
}

/** What an API key may reach: `own` says whether the ID is its own (environment, or project for a secret key). */
async function keyReads<T>(what: string, own: boolean, load: () => Promise<T | null>): Promise<T> {
  const found = own ? await load() : null;
  if (!found) throw notFound(what);
  return found;
}

/**
 * Refuses API keys the parts of a project or environment beyond what they may read (the organization, the other
 * environment, a publishable key's project); people pass, as their membership was checked where they came in.
 */
export function refuseApiKeyBeyond(context: OrganizationsContext, what: string, allowSecretKeys = false): void {
  if (context.apiKey && !(allowSecretKeys && context.apiKey.kind === 'SECRET')) {
    throw forbidden(`A ${context.apiKey.kind === 'SECRET' ? 'secret' : 'publishable'} API key can't read ${what}.`);
  }
}

async function authorizeRead<T extends { organizationId: string }>(
  context: OrganizationsContext,
  what: string,
  load: () => Promise<T | null> | null,
): Promise<T> {
  requireViewer(context);
  const found = await load();
  if (!found) throw notFound(what);
  await authorize(context, found.organizationId, 'projects:read', what);
  return found;
}

/** The caller's permissions in an organization; empty when not a member. */
export async function viewerPermissions(context: OrganizationsContext, organizationId: string): Promise<readonly Permission[]> {
  if (!context.principal) return [];
  const membership = await context.loaders.viewerMembership.load(organizationId);
  return membership ? membership.permissions : [];
}

/** True when the caller is a member: used where an unreadable entity should simply resolve to null. */
export async function isMember(context: OrganizationsContext, organizationId: string): Promise<boolean> {
  return context.principal !== null && (await context.loaders.viewerMembership.load(organizationId)) !== null;
}

/**
 * The caller's permissions in the organization that owns `entity`, signed and bound to the caller's credential, and
 * that `entity` belongs to it, for a subgraph that extends it (billing @requires it); null for a non-member.
 */
export async function viewerPermissionsClaim(context: OrganizationsContext, entity: ClaimedEntity, organizationId: string): Promise<string | null> {
  return context.claims.issue(context.principal, organizationId, await viewerPermissions(context, organizationId), entity);
}

// What lets a member see another member's account (their email and name, which identity holds).
const SEES_MEMBERS: Permission = 'members:read';

/**
 * For identity: a signed claim that the caller holds members:read in an organization `user` belongs to, so may see
 * their account. Null for the caller themself (identity needs no claim for that) and for a user they share no
 * organization with. A user reached through a membership row names its organization; any other is looked up.
 */
export async function memberClaim(context: OrganizationsContext, user: User): Promise<string | null> {
  const caller = context.principal;
  if (!caller || user.id === caller.userId) return null;
  const shared = user.memberOf
    ? [{ organizationId: user.memberOf, viewerPermissions: (await context.loaders.viewerMembership.load(user.memberOf))?.permissions ?? [] }]
    : await context.loaders.sharedOrganizations.load(user.id);
  // Through the caller's built-in or custom role: a custom role with members:read sees members' accounts too.
  const seenIn = shared.find(({ viewerPermissions }) => viewerPermissions.includes(SEES_MEMBERS));
  if (!seenIn) return null;
  return context.claims.issue(caller, seenIn.organizationId, seenIn.viewerPermissions, { typename: 'User', id: user.id });
}
