// Verified domains (claimed, then proven by a DNS TXT record) and the join requests of users their organizations are suggested to.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDomainsAndJoinRequests1733400000000 implements MigrationInterface {
  name = 'CreateDomainsAndJoinRequests1733400000000';

  async up(db: QueryRunner): Promise<void> {
    // Several organizations may claim a domain while it is pending; once one proves it, no other can: the partial
    // unique index decides between two verifying at the same moment.
    await db.query(`
      CREATE TABLE domains (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        domain text COLLATE "C" NOT NULL CHECK (domain ~ '^[a-z0-9.-]{3,253}$'),
        verification_token text COLLATE "C" NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'VERIFIED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        verified_at timestamptz,
        CHECK ((status = 'VERIFIED') = (verified_at IS NOT NULL)),
        UNIQUE (organization_id, domain)
      )`);
    await db.query(`CREATE UNIQUE INDEX domains_verified_domain_key ON domains (domain) WHERE status = 'VERIFIED'`);
    // The requester's email is kept as they had it when asking: admins read it here, as identity shows a user only to fellow members.
    await db.query(`
      CREATE TABLE join_requests (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id text COLLATE "C" NOT NULL,
        email text NOT NULL CHECK (length(email) <= 320),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED', 'CANCELLED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by text COLLATE "C",
        CHECK ((status = 'PENDING') = (decided_at IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX join_requests_pending_key ON join_requests (organization_id, user_id) WHERE status = 'PENDING'`);
    await db.query(`CREATE INDEX join_requests_organization_id_idx ON join_requests (organization_id, id)`);
    await db.query(`CREATE INDEX join_requests_user_id_idx ON join_requests (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE join_requests`);
    await db.query(`DROP TABLE domains`);
  }
}
