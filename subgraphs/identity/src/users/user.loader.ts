// Loads users by ID, one SQL statement per batch.
import type { DataSource } from 'typeorm';
import { rowLoader } from '@orgapi/shared';
import type { User } from './user.type';

interface UserRow {
  id: string;
  email: string;
  name: string;
  created_at: Date;
}

export function userLoader(db: DataSource) {
  return rowLoader<string, User>(
    async (ids) => {
      const rows: UserRow[] = await db.query('SELECT id, email, name, created_at FROM users WHERE id = ANY($1)', [ids]);
      return rows.map((row) => ({ id: row.id, email: row.email, name: row.name, createdAt: row.created_at }));
    },
    (user) => user.id,
  );
}
