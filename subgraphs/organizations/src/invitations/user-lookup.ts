// Asks identity which users have an email address: organizations knows its members only by user ID, and must refuse
// inviting someone who is a member already.
import { ROUTER_SECRET_HEADER } from '@orgapi/shared';

/** The users (ID and address) among those whose address is one of `emails`. */
export type UserLookup = (emails: readonly string[]) => Promise<{ id: string; email: string }[]>;

/** A UserLookup that calls identity's internal route (USER_LOOKUP_URL) with the router secret. */
export function remoteUserLookup(url: string, routerSecret: string): UserLookup {
  return async (emails) => {
    if (emails.length === 0) return [];
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ROUTER_SECRET_HEADER]: routerSecret },
      body: JSON.stringify({ emails }),
    });
    if (!response.ok) throw new Error(`Identity's user lookup answered HTTP ${response.status}`);
    return ((await response.json()) as { users: { id: string; email: string }[] }).users;
  };
}
