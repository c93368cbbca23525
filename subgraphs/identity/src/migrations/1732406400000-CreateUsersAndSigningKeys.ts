// Users, and the signing keys that sign their access tokens.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsersAndSigningKeys1732406400000 implements MigrationInterface {
  name = 'CreateUsersAndSigningKeys1732406400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id text COLLATE "C" PRIMARY KEY,
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_email_normalised CHECK (email = lower(btrim(email)))
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await db.query(`
      CREATE TABLE signing_keys (
        id text COLLATE "C" PRIMARY KEY,
        algorithm text NOT NULL,
        public_jwk jsonb NOT NULL,
        private_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE signing_keys`);
    await db.query(`DROP TABLE users`);
  }
}
