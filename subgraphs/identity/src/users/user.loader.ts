// Loads users by ID, one SQL statement per batch; the one place a users row becomes a User.
import { columnLoader, type Queryable } from '@orgapi/shared';
import type { User } from './user.type';

/** The columns toUser reads, for every query that returns users. */
export const USER_COLUMNS = 'id, email, name, email_verified_at, created_at';

export const toUser = (row: Record<string, unknown>): User => ({
  id: row.id as string,
  email: row.email as string,
  name: row.name as string,
  emailVerified: row.email_verified_at !== null,
  emailVerifiedAt: row.email_verified_at as Date | null,
  createdAt: row.created_at as Date,
});

export function userLoader(db: Queryable) {
  return columnLoader(db, { table: 'users', columns: USER_COLUMNS, column: 'id', map: toUser, keyOf: (user) => user.id });
}
