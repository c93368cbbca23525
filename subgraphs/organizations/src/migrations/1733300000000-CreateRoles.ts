// Custom roles: named sets of permissions an organization defines, which memberships may hold instead of a built-in role.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRoles1733300000000 implements MigrationInterface {
  name = 'CreateRoles1733300000000';

  async up(db: QueryRunner): Promise<void> {
    // The service validates permissions against the matrix (which lives in code); the database keeps keys well formed
    // and distinct from the built-in roles' keys, and one key per organization whatever the races.
    await db.query(`
      CREATE TABLE roles (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        key text COLLATE "C" NOT NULL CHECK (key ~ '^[a-z][a-z0-9_-]{0,39}$' AND key NOT IN ('owner', 'admin', 'billing', 'member', 'viewer', 'custom')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
        permissions text[] NOT NULL CHECK (cardinality(permissions) <= 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, key),
        UNIQUE (organization_id, id)
      )`);
    await db.query(`ALTER TABLE memberships DROP CONSTRAINT memberships_role_check`);
    // The role's organization is part of the reference, so a membership can only hold a role of its own organization.
    // NO ACTION (checked at the end of the statement) refuses deleting a role in use as RESTRICT would, yet lets an
    // organization's hard deletion cascade to both tables.
    await db.query(`
      ALTER TABLE memberships
        ADD COLUMN custom_role_id text COLLATE "C",
        ADD CONSTRAINT memberships_role_check CHECK (role IN ('OWNER', 'ADMIN', 'BILLING', 'MEMBER', 'VIEWER', 'CUSTOM')),
        ADD CONSTRAINT memberships_custom_role_check CHECK ((role = 'CUSTOM') = (custom_role_id IS NOT NULL)),
        ADD CONSTRAINT memberships_custom_role_fkey FOREIGN KEY (organization_id, custom_role_id) REFERENCES roles (organization_id, id) ON DELETE NO ACTION`);
    await db.query(`CREATE INDEX memberships_custom_role_id_idx ON memberships (custom_role_id) WHERE custom_role_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM memberships WHERE role = 'CUSTOM'`);
    await db.query(`
      ALTER TABLE memberships DROP CONSTRAINT memberships_custom_role_fkey, DROP CONSTRAINT memberships_custom_role_check,
        DROP CONSTRAINT memberships_role_check, DROP COLUMN custom_role_id`);
    await db.query(`ALTER TABLE memberships ADD CONSTRAINT memberships_role_check CHECK (role IN ('OWNER', 'ADMIN', 'BILLING', 'MEMBER', 'VIEWER'))`);
    await db.query(`DROP TABLE roles`);
  }
}
