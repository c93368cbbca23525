// Every access rule of the identity subgraph: authorize… refuses with an error, canSee answers where a refusal is a
// null user. Whether there is a caller at all, and whether it holds a session rather than a personal access token,
// are shared rules: requireViewer and requireSession.
import { forbidden, requireViewer, type Permission } from '@orgapi/shared';
import type { IdentityContext } from './context';
import type { User } from './users/user.type';

/** A user's private fields (sessions, tokens) are for that user alone; returns the caller's ID. */
export function authorizeSelf(context: Pick<IdentityContext, 'principal'>, user: User, what: string): string {
  const id = requireViewer(context).userId;
  if (user.id !== id) throw forbidden(`Only you can see your ${what}.`);
  return id;
}

// Seeing a fellow member is what members:read grants; organizations signs it for the users it applies to.
const SEES_MEMBERS: Permission = 'members:read';

/**
 * Whether the caller may see a user another subgraph handed over: the user themself, or a caller holding
 * members:read in an organization the user belongs to, as organizations' signed claim says. Never an anonymous caller.
 */
export async function canSee(context: Pick<IdentityContext, 'principal' | 'claims'>, user: { id: string; viewerPermissionsClaim?: unknown }): Promise<boolean> {
  const caller = context.principal;
  if (!caller || typeof user.id !== 'string') return false;
  if (caller.userId === user.id) return true;
  const permissions = await context.claims.permissions(user.viewerPermissionsClaim, caller, { typename: 'User', id: user.id });
  return permissions.includes(SEES_MEMBERS);
}
