// Loads each user's live sessions, one SQL statement per batch; the one place a sessions row becomes a Session.
import { groupLoader, type Queryable } from '@orgapi/shared';
import { SESSION_IDLE_DAYS } from './session-lifetime';
import type { Session } from './session.type';

/** The columns toSession reads, for every query that returns sessions. */
export const SESSION_COLUMNS = 'id, user_id, created_at, last_used_at, expires_at, revoked_at, user_agent, ip_address';

export const toSession = (row: Record<string, unknown>): Session => ({
  id: row.id as string,
  userId: row.user_id as string,
  createdAt: row.created_at as Date,
  lastUsedAt: row.last_used_at as Date,
  expiresAt: row.expires_at as Date,
  revokedAt: row.revoked_at as Date | null,
  userAgent: row.user_agent as string | null,
  ipAddress: row.ip_address as string | null,
});

const ACTIVE_SESSIONS = `SELECT ${SESSION_COLUMNS} FROM sessions
  WHERE user_id = ANY($1) AND revoked_at IS NULL AND expires_at > now() AND last_used_at > now() - make_interval(days => $2)
  ORDER BY last_used_at DESC, id DESC`;

/** Each user's sessions that can still be used, most recently used first. */
export function activeSessionsLoader(db: Queryable) {
  return groupLoader<string, Session>(async (userIds) => (await db.query(ACTIVE_SESSIONS, [userIds, SESSION_IDLE_DAYS])).map(toSession), (session) => session.userId);
}
