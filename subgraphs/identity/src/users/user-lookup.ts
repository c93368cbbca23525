// Which users have given email addresses: for organizations, which must refuse inviting someone who is already a
// member, and knows its members only by user ID (their accounts live here, in tables organizations may not read).
import { z } from 'zod';
import { badInput, emailAddress, parseInput, readBody, sendJson, type Queryable, type Route } from '@orgapi/shared';

/** The most addresses one question may name: an invitation asks about one. */
export const MAX_USER_LOOKUP_EMAILS = 100;

/** The users whose address is one of `emails` (stored in lower case, as the emails are given). */
export async function usersByEmail(db: Queryable, emails: readonly string[]): Promise<{ id: string; email: string }[]> {
  return db.query('SELECT id, email FROM users WHERE email = ANY($1) ORDER BY id', [emails]);
}

/** POST {"emails": ["ann@example.com", …]} → {"users": [{"id": "usr_…", "email": "ann@example.com"}, …]}: only addresses with an account. */
export function userLookupRoute(db: Queryable): Route {
  const question = z.object({
    emails: z.array(emailAddress()).min(1, 'Send at least one email address.').max(MAX_USER_LOOKUP_EMAILS, `Send at most ${MAX_USER_LOOKUP_EMAILS} email addresses.`),
  });
  return async (req, res) => {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      throw badInput('Send a JSON body: {"emails": […]}.');
    }
    const { emails } = parseInput(question, body);
    sendJson(res, 200, { users: await usersByEmail(db, emails) });
  };
}
