// Loads users by ID, one SQL statement per batch.
import { columnLoader, type Queryable } from '@orgapi/shared';
import type { User } from './user.type';

const toUser = (row: Record<string, unknown>): User => ({ id: row.id as string, email: row.email as string, name: row.name as string, createdAt: row.created_at as Date });

export function userLoader(db: Queryable) {
  return columnLoader(db, { table: 'users', columns: 'id, email, name, created_at', column: 'id', map: toUser, keyOf: (user) => user.id });
}
