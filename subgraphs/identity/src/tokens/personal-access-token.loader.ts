// Loads each user's personal access tokens, one SQL statement per batch; the one place such a row becomes an object.
import { groupLoader, type Queryable } from '@orgapi/shared';
import type { PersonalAccessToken } from './personal-access-token.type';

/** The columns toPersonalAccessToken reads, for every query that returns tokens. */
export const PERSONAL_ACCESS_TOKEN_COLUMNS = 'id, user_id, name, prefix, created_at, last_used_at, expires_at, revoked_at';

export const toPersonalAccessToken = (row: Record<string, unknown>): PersonalAccessToken => ({
  id: row.id as string,
  userId: row.user_id as string,
  name: row.name as string,
  prefix: row.prefix as string,
  createdAt: row.created_at as Date,
  lastUsedAt: row.last_used_at as Date | null,
  expiresAt: row.expires_at as Date | null,
  revokedAt: row.revoked_at as Date | null,
});

const TOKENS_NOT_REVOKED = `SELECT ${PERSONAL_ACCESS_TOKEN_COLUMNS} FROM personal_access_tokens WHERE user_id = ANY($1) AND revoked_at IS NULL ORDER BY id DESC`;

/** Each user's tokens that are not revoked, newest first. */
export function personalAccessTokensLoader(db: Queryable) {
  return groupLoader<string, PersonalAccessToken>(async (userIds) => (await db.query(TOKENS_NOT_REVOKED, [userIds])).map(toPersonalAccessToken), (token) => token.userId);
}
