// Per-user settings kept by organizations: which organization the user last switched to.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUserSettings1732406800000 implements MigrationInterface {
  name = 'CreateUserSettings1732406800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE user_settings (
        user_id text COLLATE "C" PRIMARY KEY,
        active_organization_id text COLLATE "C" REFERENCES organizations (id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX user_settings_active_organization_id_idx ON user_settings (active_organization_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE user_settings`);
  }
}
