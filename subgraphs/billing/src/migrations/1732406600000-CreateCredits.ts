// Credit grants that feed an organization's balance, and the usage events that spend it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCredits1732406600000 implements MigrationInterface {
  name = 'CreateCredits1732406600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credit_grants (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        reason text NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX credit_grants_organization_id_idx ON credit_grants (organization_id, granted_at)`);
    await db.query(`
      CREATE TABLE usage_events (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL,
        project_id text COLLATE "C" NOT NULL,
        environment_id text COLLATE "C" NOT NULL,
        metric text NOT NULL,
        quantity bigint NOT NULL CHECK (quantity >= 0),
        amount bigint NOT NULL CHECK (amount >= 0),
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX usage_events_organization_idx ON usage_events (organization_id, occurred_at)`);
    await db.query(`CREATE INDEX usage_events_project_idx ON usage_events (project_id, occurred_at)`);
    await db.query(`CREATE INDEX usage_events_environment_idx ON usage_events (environment_id, occurred_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE usage_events`);
    await db.query(`DROP TABLE credit_grants`);
  }
}
