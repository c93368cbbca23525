// Asks identity which users have an email address, or what given users' addresses are: organizations knows its members
// only by user ID, and must refuse inviting someone who is a member already, and email billing's alerts to members.
import { ROUTER_SECRET_HEADER } from '@orgapi/shared';

/** A user as identity answers: ID and address. */
interface FoundUser {
  id: string;
  email: string;
}

/** The users (ID and address) among those whose address is one of `emails`. */
export type UserLookup = (emails: readonly string[]) => Promise<FoundUser[]>;

/** The users (ID and address) among `userIds`: where an email to members goes. */
export type UserEmails = (userIds: readonly string[]) => Promise<FoundUser[]>;

// Identity answers about at most this many users per question (MAX_USER_LOOKUP_IDS there).
const IDS_PER_QUESTION = 100;

/** Asks identity's internal route (USER_LOOKUP_URL) with the router secret. */
async function ask(url: string, routerSecret: string, question: { emails: readonly string[] } | { userIds: readonly string[] }): Promise<FoundUser[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [ROUTER_SECRET_HEADER]: routerSecret },
    body: JSON.stringify(question),
  });
  if (!response.ok) throw new Error(`Identity's user lookup answered HTTP ${response.status}`);
  return ((await response.json()) as { users: FoundUser[] }).users;
}

/** A UserLookup that calls identity's internal route (USER_LOOKUP_URL) with the router secret. */
export function remoteUserLookup(url: string, routerSecret: string): UserLookup {
  return async (emails) => (emails.length === 0 ? [] : ask(url, routerSecret, { emails }));
}

/** A UserEmails that calls the same route, in batches of the most identity answers at once. */
export function remoteUserEmails(url: string, routerSecret: string): UserEmails {
  return async (userIds) => {
    const users: FoundUser[] = [];
    for (let start = 0; start < userIds.length; start += IDS_PER_QUESTION) {
      users.push(...(await ask(url, routerSecret, { userIds: userIds.slice(start, start + IDS_PER_QUESTION) })));
    }
    return users;
  };
}
