// Demo users for `npm start`: the people of the demo organizations, all with the same known password.
import type { DataSource } from 'typeorm';
import { newId } from '@orgapi/shared';
import { hashPassword } from './users/passwords';

export const DEMO_PASSWORD = 'demo-password';

export const DEMO_PEOPLE = [
  { key: 'ada', name: 'Ada Lovelace', email: 'ada@acme.example' },
  { key: 'grace', name: 'Grace Hopper', email: 'grace@acme.example' },
  { key: 'katherine', name: 'Katherine Johnson', email: 'katherine@acme.example' },
  { key: 'linus', name: 'Linus Torvalds', email: 'linus@acme.example' },
  { key: 'margaret', name: 'Margaret Hamilton', email: 'margaret@acme.example' },
] as const;
export type DemoPerson = (typeof DEMO_PEOPLE)[number]['key'];

/** Creates the demo users that do not exist yet, their addresses verified; returns every demo user's ID by key. */
export async function seedDemoUsers(db: DataSource): Promise<Record<DemoPerson, string>> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = {} as Record<DemoPerson, string>;
  for (const person of DEMO_PEOPLE) {
    const [row] = await db.query(
      `INSERT INTO users (id, email, name, password_hash, email_verified_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (email) DO UPDATE SET email_verified_at = COALESCE(users.email_verified_at, EXCLUDED.email_verified_at) RETURNING id`,
      [newId('usr'), person.email, person.name, passwordHash],
    );
    ids[person.key] = row.id as string;
  }
  return ids;
}
