// Asks identity which of an organization's members match a search by name or email: their accounts live there, in
// tables organizations may not read.
import { ROUTER_SECRET_HEADER } from '@orgapi/shared';

/** The IDs among `userIds` of users whose name or email contains `search` (case-insensitive, wildcards literal). */
export type MemberSearch = (search: string, userIds: readonly string[]) => Promise<string[]>;

/** A MemberSearch that calls identity's internal route (USER_SEARCH_URL) with the router secret. */
export function remoteMemberSearch(url: string, routerSecret: string): MemberSearch {
  return async (search, userIds) => {
    if (userIds.length === 0) return [];
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ROUTER_SECRET_HEADER]: routerSecret },
      body: JSON.stringify({ search, userIds }),
    });
    if (!response.ok) throw new Error(`Identity's user search answered HTTP ${response.status}`);
    return ((await response.json()) as { userIds: string[] }).userIds;
  };
}
