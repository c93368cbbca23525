// Organizations gain settings, soft deletion and a slug history that keeps renamed and deleted slugs reserved.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrganizationLifecycle1733200000000 implements MigrationInterface {
  name = 'OrganizationLifecycle1733200000000';

  async up(db: QueryRunner): Promise<void> {
    // Settings are columns, not a jsonb document: each has a type and a CHECK the database enforces, and other
    // areas (invitations, domains) read them with plain SQL.
    await db.query(`
      ALTER TABLE organizations
        ADD COLUMN deleted_at timestamptz,
        ADD COLUMN default_role text NOT NULL DEFAULT 'MEMBER' CHECK (default_role IN ('ADMIN', 'BILLING', 'MEMBER', 'VIEWER')),
        ADD COLUMN invitation_expiry_days integer NOT NULL DEFAULT 7 CHECK (invitation_expiry_days BETWEEN 1 AND 30),
        ADD COLUMN allowed_email_domains text[] NOT NULL DEFAULT '{}' CHECK (cardinality(allowed_email_domains) <= 50),
        ADD COLUMN enrollment_mode text NOT NULL DEFAULT 'MANUAL' CHECK (enrollment_mode IN ('MANUAL', 'AUTOMATIC_INVITATION', 'AUTOMATIC_SUGGESTION'))`);
    // A deleted organization keeps its slug in its row; only live ones must differ (the history reserves the rest).
    await db.query(`DROP INDEX organizations_slug_key`);
    await db.query(`CREATE UNIQUE INDEX organizations_slug_key ON organizations (slug) WHERE deleted_at IS NULL`);
    // Every slug an organization holds (released_at NULL) or gave up (renamed, deleted) at released_at. The primary
    // key is what makes a slug unique across live and reserved ones, whatever the races.
    await db.query(`
      CREATE TABLE organization_slugs (
        slug text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz
      )`);
    await db.query(`CREATE INDEX organization_slugs_organization_id_idx ON organization_slugs (organization_id)`);
    await db.query(`INSERT INTO organization_slugs (slug, organization_id, claimed_at) SELECT slug, id, created_at FROM organizations`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE organization_slugs`);
    await db.query(`DELETE FROM organizations WHERE deleted_at IS NOT NULL`);
    await db.query(`DROP INDEX organizations_slug_key`);
    await db.query(`CREATE UNIQUE INDEX organizations_slug_key ON organizations (slug)`);
    await db.query(`
      ALTER TABLE organizations DROP COLUMN deleted_at, DROP COLUMN default_role, DROP COLUMN invitation_expiry_days,
        DROP COLUMN allowed_email_domains, DROP COLUMN enrollment_mode`);
  }
}
