// API keys: per environment, publishable or secret, stored as a hash with a short visible prefix and suffix.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1733720000000 implements MigrationInterface {
  name = 'CreateApiKeys1733720000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_keys (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL,
        project_id text COLLATE "C" NOT NULL,
        environment_id text COLLATE "C" NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('PUBLISHABLE', 'SECRET')),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        secret_hash bytea NOT NULL UNIQUE,
        prefix text NOT NULL,
        last_four text NOT NULL,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        rolled_at timestamptz,
        replaced_by text COLLATE "C" REFERENCES api_keys (id),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await db.query(`CREATE INDEX api_keys_environment_id_idx ON api_keys (environment_id, id)`);
    // Every service caches what organizations says of a key: revoking, rolling, expiring it early, or deleting its
    // project or organization notifies them at commit (the channel identity uses for sessions).
    await db.query(`
      CREATE FUNCTION publish_api_key_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('credential_revocations', json_build_object('table', TG_TABLE_NAME, 'id', NEW.id)::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER api_keys_revoked AFTER UPDATE OF revoked_at, expires_at ON api_keys FOR EACH ROW
        WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at) EXECUTE FUNCTION publish_api_key_revocation()`);
    await db.query(`
      CREATE TRIGGER projects_deleted AFTER UPDATE OF deleted_at ON projects FOR EACH ROW
        WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL) EXECUTE FUNCTION publish_api_key_revocation()`);
    await db.query(`
      CREATE TRIGGER organizations_deleted AFTER UPDATE OF deleted_at ON organizations FOR EACH ROW
        WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL) EXECUTE FUNCTION publish_api_key_revocation()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER organizations_deleted ON organizations`);
    await db.query(`DROP TRIGGER projects_deleted ON projects`);
    await db.query(`DROP TABLE api_keys`);
    await db.query(`DROP FUNCTION publish_api_key_revocation()`);
  }
}
