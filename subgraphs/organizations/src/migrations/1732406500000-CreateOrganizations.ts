// Organizations, their memberships, projects and the two environments of each project.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrganizations1732406500000 implements MigrationInterface {
  name = 'CreateOrganizations1732406500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE organizations (
        id text COLLATE "C" PRIMARY KEY,
        slug text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX organizations_slug_key ON organizations (slug)`);
    await db.query(`
      CREATE TABLE memberships (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id text COLLATE "C" NOT NULL,
        role text NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'BILLING', 'MEMBER', 'VIEWER')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX memberships_organization_user_key ON memberships (organization_id, user_id)`);
    await db.query(`CREATE INDEX memberships_organization_id_idx ON memberships (organization_id, id)`);
    await db.query(`CREATE INDEX memberships_user_id_idx ON memberships (user_id, id)`);
    await db.query(`
      CREATE TABLE projects (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX projects_organization_name_key ON projects (organization_id, lower(name))`);
    await db.query(`CREATE INDEX projects_organization_id_idx ON projects (organization_id, id)`);
    await db.query(`
      CREATE TABLE environments (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        project_id text COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        mode text NOT NULL CHECK (mode IN ('SANDBOX', 'LIVE')),
        configuration jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(configuration) = 'object'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX environments_project_mode_key ON environments (project_id, mode)`);
    await db.query(`CREATE INDEX environments_organization_id_idx ON environments (organization_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE environments`);
    await db.query(`DROP TABLE projects`);
    await db.query(`DROP TABLE memberships`);
    await db.query(`DROP TABLE organizations`);
  }
}
