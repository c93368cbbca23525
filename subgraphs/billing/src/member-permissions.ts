// Asks organizations what a user may do in an organization: billing's root mutations name an organization by ID, so
// no entity brings a signed claim of the caller's permissions (@requires) with them.
import { inMatrixOrder, isPermission, ROUTER_SECRET_HEADER, type Permission } from '@orgapi/shared';

/** The user's permissions in the organization; none when they are not a member or it does not exist. */
export type MemberPermissions = (userId: string, organizationId: string) => Promise<Permission[]>;
/** Whether the organization exists (and is not deleted): platform operators grant credits to organizations they are not in. */
export type OrganizationExists = (organizationId: string) => Promise<boolean>;

// Organizations answers from one indexed row; five seconds means it is down, and the mutation fails cleanly.
const TIMEOUT_MS = 5_000;

/** Calls organizations' internal route (MEMBER_PERMISSIONS_URL) with the router secret, uncached: a removed member loses access at once. */
export function remoteMemberPermissions(url: string, routerSecret: string): { memberPermissions: MemberPermissions; organizationExists: OrganizationExists } {
  const ask = async (question: { userId?: string; organizationId: string }) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ROUTER_SECRET_HEADER]: routerSecret },
      body: JSON.stringify(question),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`Organizations' member permissions answered HTTP ${response.status}`);
    return (await response.json()) as { permissions?: unknown; organizationExists?: unknown };
  };
  return {
    async memberPermissions(userId, organizationId) {
      const { permissions } = await ask({ userId, organizationId });
      return Array.isArray(permissions) ? inMatrixOrder(permissions.filter((p): p is Permission => typeof p === 'string' && isPermission(p))) : [];
    },
    async organizationExists(organizationId) {
      return (await ask({ organizationId })).organizationExists === true;
    },
  };
}
