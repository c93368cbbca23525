// Verified email addresses, the single-use tokens emailed for verification and password reset, and the outbox.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '@orgapi/shared';

export class CreateEmailTokensAndOutbox1733100000000 implements MigrationInterface {
  name = 'CreateEmailTokensAndOutbox1733100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN email_verified_at timestamptz`);
    // Only a hash is kept, as for refresh and personal access tokens. `email` is the address the token was sent
    // to: a verification proves that address, not whatever the account's address is by the time it is used.
    await db.query(`
      CREATE TABLE email_tokens (
        token_hash bytea PRIMARY KEY,
        user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('email_verification', 'password_reset')),
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        replaced_at timestamptz
      )`);
    // At most one live token per user and purpose: a new request replaces the one before.
    await db.query(`CREATE UNIQUE INDEX email_tokens_live_key ON email_tokens (user_id, purpose) WHERE used_at IS NULL AND replaced_at IS NULL`);
    await createOutboxTable(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox`);
    await db.query(`DROP TABLE email_tokens`);
    await db.query(`ALTER TABLE users DROP COLUMN email_verified_at`);
  }
}
