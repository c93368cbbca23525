// Who may see and change what: the caller's membership checked against the shared permission matrix.
import { forbidden, notFound, permissionsOf, roleHas, requireViewer, type Permission, type Role } from '@orgapi/shared';
import type { OrganizationsContext } from './context';

/**
 * The caller's role in an organization. A non-member gets NOT_FOUND, exactly as for an organization that does
 * not exist, so outsiders cannot probe which IDs are real.
 */
export async function memberRole(context: OrganizationsContext, organizationId: string, what = 'Organization'): Promise<Role> {
  requireViewer(context);
  const membership = await context.loaders.viewerMembership.load(organizationId);
  if (!membership) throw notFound(what);
  return membership.role;
}

/** Checks the caller holds `permission` in the organization: NOT_FOUND for outsiders, FORBIDDEN for members without it. */
export async function authorize(context: OrganizationsContext, organizationId: string, permission: Permission, what = 'Organization'): Promise<Role> {
  const role = await memberRole(context, organizationId, what);
  if (!roleHas(role, permission)) throw forbidden(`Your role (${role}) does not allow ${permission} in this organization.`);
  return role;
}

/** The caller's permissions in an organization; empty when not a member. */
export async function viewerPermissions(context: OrganizationsContext, organizationId: string): Promise<readonly Permission[]> {
  if (!context.principal) return [];
  const membership = await context.loaders.viewerMembership.load(organizationId);
  return membership ? permissionsOf(membership.role) : [];
}

/** True when the caller is a member: used where an unreadable entity should simply resolve to null. */
export async function isMember(context: OrganizationsContext, organizationId: string): Promise<boolean> {
  return context.principal !== null && (await context.loaders.viewerMembership.load(organizationId)) !== null;
}
