// Sessions with rotating refresh tokens, personal access tokens, and the counters that throttle failed log-ins.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSessionsAndTokens1732406700000 implements MigrationInterface {
  name = 'CreateSessionsAndTokens1732406700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sessions (
        id text COLLATE "C" PRIMARY KEY,
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        user_agent text,
        ip_address text
      )`);
    await db.query(`CREATE INDEX sessions_user_id_idx ON sessions (user_id, id)`);
    await db.query(`
      CREATE TABLE refresh_tokens (
        token_hash bytea PRIMARY KEY,
        session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz
      )`);
    await db.query(`CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id)`);
    await db.query(`
      CREATE TABLE personal_access_tokens (
        id text COLLATE "C" PRIMARY KEY,
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash bytea NOT NULL,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX personal_access_tokens_token_hash_key ON personal_access_tokens (token_hash)`);
    await db.query(`CREATE INDEX personal_access_tokens_user_id_idx ON personal_access_tokens (user_id, id)`);
    // The table rate-limiter-flexible keeps its counters in (its own layout).
    await db.query(`
      CREATE TABLE login_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE login_limits`);
    await db.query(`DROP TABLE personal_access_tokens`);
    await db.query(`DROP TABLE refresh_tokens`);
    await db.query(`DROP TABLE sessions`);
  }
}
