// The audit log: an append-only record of every change to an organization, which the database itself keeps immutable.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditEvents1733000000000 implements MigrationInterface {
  name = 'CreateAuditEvents1733000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_events (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL,
        action text NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('USER', 'PERSONAL_ACCESS_TOKEN', 'API_KEY', 'SYSTEM')),
        actor_id text COLLATE "C",
        actor_user_id text COLLATE "C",
        target_type text NOT NULL,
        target_id text COLLATE "C" NOT NULL,
        before jsonb CHECK (before IS NULL OR jsonb_typeof(before) = 'object'),
        after jsonb CHECK (after IS NULL OR jsonb_typeof(after) = 'object'),
        ip_address text,
        request_id text,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Newest first per organization, optionally narrowed by action or actor: IDs sort by creation time.
    await db.query(`CREATE INDEX audit_events_organization_idx ON audit_events (organization_id, id DESC)`);
    await db.query(`CREATE INDEX audit_events_organization_action_idx ON audit_events (organization_id, action, id DESC)`);
    await db.query(`CREATE INDEX audit_events_organization_actor_idx ON audit_events (organization_id, actor_id, id DESC)`);
    // No code path may rewrite history, a bug or an injected statement included: the table refuses it.
    await db.query(`
      CREATE FUNCTION audit_events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit events cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_events_immutable BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_are_immutable()`);
    await db.query(`
      CREATE TRIGGER audit_events_not_truncated BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_immutable()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_events`);
    await db.query(`DROP FUNCTION audit_events_are_immutable()`);
  }
}
