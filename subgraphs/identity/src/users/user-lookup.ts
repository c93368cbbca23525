// Which users have given email addresses, or what the addresses of given users are: for organizations, which knows
// its members only by user ID (their accounts live here, in tables organizations may not read). It must refuse
// inviting someone who is already a member, and it emails the members who manage billing of billing's alerts.
import { z } from 'zod';
import { badInput, emailAddress, parseInput, readBody, sendJson, text, type Queryable, type Route } from '@orgapi/shared';

/** The most addresses, or user IDs, one question may name: an invitation asks about one address. */
export const MAX_USER_LOOKUP_EMAILS = 100;
export const MAX_USER_LOOKUP_IDS = 100;

/** The users whose address is one of `emails` (stored in lower case, as the emails are given). */
export async function usersByEmail(db: Queryable, emails: readonly string[]): Promise<{ id: string; email: string }[]> {
  return db.query('SELECT id, email FROM users WHERE email = ANY($1) ORDER BY id', [emails]);
}

/** The users among `userIds`, with their addresses; an unknown ID is left out. */
export async function usersById(db: Queryable, userIds: readonly string[]): Promise<{ id: string; email: string }[]> {
  return db.query('SELECT id, email FROM users WHERE id = ANY($1) ORDER BY id', [userIds]);
}

/**
 * POST {"emails": ["ann@example.com", …]} → {"users": [{"id": "usr_…", "email": "ann@example.com"}, …]}: only
 * addresses with an account. POST {"userIds": ["usr_…", …]} → the same answer, for the users that exist.
 */
export function userLookupRoute(db: Queryable): Route {
  const question = z
    .object({
      emails: z
        .array(emailAddress())
        .min(1, 'Send at least one email address.')
        .max(MAX_USER_LOOKUP_EMAILS, `Send at most ${MAX_USER_LOOKUP_EMAILS} email addresses.`)
        .optional(),
      userIds: z
        .array(text().min(1).max(100, 'A user ID is at most 100 characters.'))
        .min(1, 'Send at least one user ID.')
        .max(MAX_USER_LOOKUP_IDS, `Send at most ${MAX_USER_LOOKUP_IDS} user IDs.`)
        .optional(),
    })
    .refine((asked) => (asked.emails === undefined) !== (asked.userIds === undefined), { message: 'Send either {"emails": […]} or {"userIds": […]}.' });
  return async (req, res) => {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      throw badInput('Send a JSON body: {"emails": […]} or {"userIds": […]}.');
    }
    const { emails, userIds } = parseInput(question, body);
    sendJson(res, 200, { users: emails ? await usersByEmail(db, emails) : await usersById(db, userIds!) });
  };
}
