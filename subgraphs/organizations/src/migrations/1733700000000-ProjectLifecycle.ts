// Projects gain a description, archiving and soft deletion; environments become what the database itself keeps true:
// exactly one SANDBOX and one LIVE per project, made with it, never moved, never removed on their own.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProjectLifecycle1733700000000 implements MigrationInterface {
  name = 'ProjectLifecycle1733700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE projects
        ADD COLUMN description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 1000),
        ADD COLUMN archived_at timestamptz,
        ADD COLUMN deleted_at timestamptz`);
    // A deleted project's name is free again; its row stays, for billing's history and the audit log.
    await db.query(`DROP INDEX projects_organization_name_key`);
    await db.query(`CREATE UNIQUE INDEX projects_organization_name_key ON projects (organization_id, lower(name)) WHERE deleted_at IS NULL`);

    // A project commits with both its environments or not at all: checked at commit, after the statement that
    // creates them. Raised as check_violation (23514) so the services map it like any other constraint.
    await db.query(`
      CREATE FUNCTION projects_have_both_environments() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT count(*) FROM environments WHERE project_id = NEW.id AND mode IN ('SANDBOX', 'LIVE')) <> 2 THEN
          RAISE EXCEPTION 'project % must have exactly one SANDBOX and one LIVE environment', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'projects_both_environments';
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE CONSTRAINT TRIGGER projects_both_environments AFTER INSERT ON projects
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION projects_have_both_environments()`);
    // A third environment cannot exist: (project_id, mode) is unique and mode is SANDBOX or LIVE. Nor can one be
    // moved to another project or mode, or deleted while its project row exists (only a cascade from the project
    // removes it): so the two a project committed with are the two it keeps.
    await db.query(`
      CREATE FUNCTION environments_are_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          -- Deleting the organization cascades to environments and projects in either order: its row is gone first.
          IF EXISTS (SELECT 1 FROM projects p JOIN organizations o ON o.id = p.organization_id WHERE p.id = OLD.project_id) THEN
            RAISE EXCEPTION 'environment % is deleted only with its project', OLD.id
              USING ERRCODE = 'check_violation', CONSTRAINT = 'environments_fixed';
          END IF;
          RETURN OLD;
        END IF;
        IF NEW.project_id IS DISTINCT FROM OLD.project_id OR NEW.mode IS DISTINCT FROM OLD.mode
           OR NEW.organization_id IS DISTINCT FROM OLD.organization_id OR NEW.id IS DISTINCT FROM OLD.id THEN
          RAISE EXCEPTION 'environment % keeps its ID, project, organization and mode', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'environments_fixed';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER environments_fixed BEFORE UPDATE OR DELETE ON environments FOR EACH ROW EXECUTE FUNCTION environments_are_fixed()`);
    // The environment's organization is its project's.
    await db.query(`ALTER TABLE projects ADD CONSTRAINT projects_id_organization_key UNIQUE (id, organization_id)`);
    await db.query(`
      ALTER TABLE environments ADD CONSTRAINT environments_project_organization_fkey
        FOREIGN KEY (project_id, organization_id) REFERENCES projects (id, organization_id) ON DELETE CASCADE`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE environments DROP CONSTRAINT environments_project_organization_fkey`);
    await db.query(`ALTER TABLE projects DROP CONSTRAINT projects_id_organization_key`);
    await db.query(`DROP TRIGGER environments_fixed ON environments`);
    await db.query(`DROP FUNCTION environments_are_fixed()`);
    await db.query(`DROP TRIGGER projects_both_environments ON projects`);
    await db.query(`DROP FUNCTION projects_have_both_environments()`);
    await db.query(`DELETE FROM projects WHERE deleted_at IS NOT NULL`);
    await db.query(`DROP INDEX projects_organization_name_key`);
    await db.query(`CREATE UNIQUE INDEX projects_organization_name_key ON projects (organization_id, lower(name))`);
    await db.query(`ALTER TABLE projects DROP COLUMN description, DROP COLUMN archived_at, DROP COLUMN deleted_at`);
  }
}
