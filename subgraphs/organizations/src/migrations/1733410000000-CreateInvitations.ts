// Invitations to join an organization, and the outbox their emails wait in until the worker sends them.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '@orgapi/shared';

export class CreateInvitations1733410000000 implements MigrationInterface {
  name = 'CreateInvitations1733410000000';

  async up(db: QueryRunner): Promise<void> {
    // Only the token's SHA-256 is kept, as for identity's email links. EXPIRED is not a stored status: it is a
    // PENDING invitation past expires_at, so no job has to run for an invitation to expire.
    // A custom role is referenced with its organization, so an invitation can only offer a role of its own
    // organization; NO ACTION refuses deleting a role a pending invitation offers (role.service.ts says so first),
    // and an answered or revoked invitation does not hold a role back: deleteRole clears its reference first.
    await db.query(`
      CREATE TABLE invitations (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
        role text NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'BILLING', 'MEMBER', 'VIEWER', 'CUSTOM')),
        custom_role_id text COLLATE "C",
        token_hash bytea NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'REVOKED')),
        invited_by text COLLATE "C" NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        responded_at timestamptz,
        responded_by text COLLATE "C",
        CONSTRAINT invitations_custom_role_check CHECK ((role = 'CUSTOM' OR custom_role_id IS NULL) AND (role <> 'CUSTOM' OR custom_role_id IS NOT NULL OR status <> 'PENDING')),
        CONSTRAINT invitations_custom_role_fkey FOREIGN KEY (organization_id, custom_role_id) REFERENCES roles (organization_id, id) ON DELETE NO ACTION
      )`);
    // One pending invitation per organization and address, whatever the races: a new one replaces the old.
    await db.query(`CREATE UNIQUE INDEX invitations_pending_key ON invitations (organization_id, email) WHERE status = 'PENDING'`);
    // viewer.pendingInvitations reads by address; Organization.invitations pages by organization.
    await db.query(`CREATE INDEX invitations_email_idx ON invitations (email) WHERE status = 'PENDING'`);
    await db.query(`CREATE INDEX invitations_organization_id_idx ON invitations (organization_id, id)`);
    await db.query(`CREATE INDEX invitations_custom_role_id_idx ON invitations (custom_role_id) WHERE custom_role_id IS NOT NULL`);
    await createOutboxTable(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox`);
    await db.query(`DROP TABLE invitations`);
  }
}
