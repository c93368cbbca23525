// Which of a list of users match a search by name or email: for organizations, whose members' accounts live here
// (it filters Organization.members by them without reading this schema).
import { z } from 'zod';
import { badInput, containsPattern, parseInput, readBody, sendJson, text, type Queryable, type Route } from '@orgapi/shared';

/** The longest search a caller may send: more than any name or email one would type. */
export const MAX_USER_SEARCH_LENGTH = 100;

/** The IDs among `userIds` of users whose name or email contains `search`, ignoring case. */
export async function matchingUsers(db: Queryable, search: string, userIds: readonly string[]): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT id FROM users WHERE id = ANY($1) AND (name ILIKE $2 ESCAPE '\\' OR email ILIKE $2 ESCAPE '\\') ORDER BY id`,
    [userIds, containsPattern(search)],
  );
  return rows.map((row) => row.id);
}

/**
 * POST {"search": "ann", "userIds": ["usr_…", …]} → {"userIds": [the matching ones]}. At most `maxUserIds` IDs per
 * call (an organization's members), so one question stays one bounded statement.
 */
export function userSearchRoute(db: Queryable, maxUserIds: number): Route {
  const question = z.object({
    search: text().trim().min(1, 'Send a search of at least one character.').max(MAX_USER_SEARCH_LENGTH, `A search is at most ${MAX_USER_SEARCH_LENGTH} characters.`),
    userIds: z.array(text()).max(maxUserIds, `Send at most ${maxUserIds} user IDs.`),
  });
  return async (req, res) => {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      throw badInput('Send a JSON body: {"search": …, "userIds": […]}.');
    }
    const { search, userIds } = parseInput(question, body);
    sendJson(res, 200, { userIds: await matchingUsers(db, search, userIds) });
  };
}
