// Every change to an environment's configuration becomes an immutable, numbered version; a project may hold a JSON
// Schema its environments' configurations must follow.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ConfigurationVersions1733710000000 implements MigrationInterface {
  name = 'ConfigurationVersions1733710000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE projects ADD COLUMN configuration_schema jsonb CHECK (configuration_schema IS NULL OR jsonb_typeof(configuration_schema) = 'object')`);
    // The environment row holds the current version's number and content, so a read never looks at the history.
    await db.query(`ALTER TABLE environments ADD COLUMN configuration_version integer NOT NULL DEFAULT 1 CHECK (configuration_version >= 1)`);
    await db.query(`
      CREATE TABLE configuration_versions (
        id text COLLATE "C" PRIMARY KEY,
        environment_id text COLLATE "C" NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        organization_id text COLLATE "C" NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        configuration jsonb NOT NULL CHECK (jsonb_typeof(configuration) = 'object'),
        diff jsonb NOT NULL CHECK (jsonb_typeof(diff) = 'array'),
        source text NOT NULL CHECK (source IN ('CREATED', 'UPDATE', 'ROLLBACK', 'PROMOTION')),
        source_version integer,
        author_type text,
        author_id text,
        author_user_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (environment_id, version)
      )`);
    // History is not rewritten: a version is never changed, and deleted only with its environment.
    await db.query(`
      CREATE FUNCTION configuration_versions_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM environments WHERE id = OLD.environment_id) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'configuration versions cannot be changed or deleted'
          USING ERRCODE = 'check_violation', CONSTRAINT = 'configuration_versions_immutable';
      END $$`);
    await db.query(
      `CREATE TRIGGER configuration_versions_immutable BEFORE UPDATE OR DELETE ON configuration_versions FOR EACH ROW EXECUTE FUNCTION configuration_versions_are_immutable()`,
    );
    await db.query(`
      INSERT INTO configuration_versions (id, environment_id, organization_id, version, configuration, diff, source, created_at)
      SELECT 'cfv_' || substr(e.id, 5), e.id, e.organization_id, 1, e.configuration, '[]'::jsonb, 'CREATED', e.created_at FROM environments e`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE configuration_versions`);
    await db.query(`DROP FUNCTION configuration_versions_are_immutable()`);
    await db.query(`ALTER TABLE environments DROP COLUMN configuration_version`);
    await db.query(`ALTER TABLE projects DROP COLUMN configuration_schema`);
  }
}
