// The keys that sign organizations' permission claims, which billing and identity verify against its JWKS.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSigningKeys1732406900000 implements MigrationInterface {
  name = 'CreateSigningKeys1732406900000';

  async up(db: QueryRunner): Promise<void> {
    // The layout the shared signing-key mechanism reads and rotates (as identity's).
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
  }
}
