// Reading a balance or a usage report must not grow with the number of usage events: each organization's totals and
// each environment's usage per metric and UTC day are kept up to date by triggers, in the transaction of the event or
// grant that changes them (whoever writes it), so a read sums a few rows, never every event.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UsageRollups1733900000000 implements MigrationInterface {
  name = 'UsageRollups1733900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credit_totals (
        organization_id text COLLATE "C" PRIMARY KEY,
        granted bigint NOT NULL DEFAULT 0,
        used bigint NOT NULL DEFAULT 0
      )`);
    await db.query(`
      CREATE TABLE usage_daily (
        environment_id text COLLATE "C" NOT NULL,
        metric text NOT NULL,
        day date NOT NULL,
        organization_id text COLLATE "C" NOT NULL,
        project_id text COLLATE "C" NOT NULL,
        quantity bigint NOT NULL DEFAULT 0,
        amount bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (environment_id, metric, day)
      )`);
    await db.query(`CREATE INDEX usage_daily_organization_idx ON usage_daily (organization_id, day)`);
    await db.query(`CREATE INDEX usage_daily_project_idx ON usage_daily (project_id, day)`);

    await db.query(`
      CREATE FUNCTION roll_up_usage() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        event usage_events;
        sign integer;
      BEGIN
        IF TG_OP = 'INSERT' THEN event := NEW; sign := 1; ELSE event := OLD; sign := -1; END IF;
        INSERT INTO usage_daily (environment_id, metric, day, organization_id, project_id, quantity, amount)
        VALUES (event.environment_id, event.metric, (event.occurred_at AT TIME ZONE 'UTC')::date, event.organization_id, event.project_id,
                sign * event.quantity, sign * event.amount)
        ON CONFLICT (environment_id, metric, day)
        DO UPDATE SET quantity = usage_daily.quantity + EXCLUDED.quantity, amount = usage_daily.amount + EXCLUDED.amount;
        INSERT INTO credit_totals (organization_id, used) VALUES (event.organization_id, sign * event.amount)
        ON CONFLICT (organization_id) DO UPDATE SET used = credit_totals.used + EXCLUDED.used;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER usage_events_rolled_up AFTER INSERT OR DELETE ON usage_events FOR EACH ROW EXECUTE FUNCTION roll_up_usage()`);
    // A usage event is a fact: changing one would leave its rollups wrong, so it is refused (delete and record anew).
    await db.query(`
      CREATE FUNCTION usage_events_are_facts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'usage events are not changed' USING ERRCODE = 'check_violation', CONSTRAINT = 'usage_events_immutable';
      END $$`);
    await db.query(`CREATE TRIGGER usage_events_immutable BEFORE UPDATE ON usage_events FOR EACH ROW EXECUTE FUNCTION usage_events_are_facts()`);

    await db.query(`
      CREATE FUNCTION total_grants() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        grant_row credit_grants;
        sign integer;
      BEGIN
        IF TG_OP = 'INSERT' THEN grant_row := NEW; sign := 1; ELSE grant_row := OLD; sign := -1; END IF;
        INSERT INTO credit_totals (organization_id, granted) VALUES (grant_row.organization_id, sign * grant_row.amount)
        ON CONFLICT (organization_id) DO UPDATE SET granted = credit_totals.granted + EXCLUDED.granted;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER credit_grants_totalled AFTER INSERT OR DELETE ON credit_grants FOR EACH ROW EXECUTE FUNCTION total_grants()`);
    await db.query(`CREATE TRIGGER credit_grants_immutable BEFORE UPDATE ON credit_grants FOR EACH ROW EXECUTE FUNCTION usage_events_are_facts()`);

    // What was recorded before, rolled up once.
    await db.query(`
      INSERT INTO usage_daily (environment_id, metric, day, organization_id, project_id, quantity, amount)
      SELECT environment_id, metric, (occurred_at AT TIME ZONE 'UTC')::date, min(organization_id), min(project_id), sum(quantity), sum(amount)
        FROM usage_events GROUP BY environment_id, metric, (occurred_at AT TIME ZONE 'UTC')::date`);
    await db.query(`
      INSERT INTO credit_totals (organization_id, granted, used)
      SELECT organization_id, sum(granted), sum(used) FROM (
        SELECT organization_id, amount AS granted, 0 AS used FROM credit_grants
        UNION ALL SELECT organization_id, 0, amount FROM usage_events
      ) t GROUP BY organization_id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER credit_grants_immutable ON credit_grants`);
    await db.query(`DROP TRIGGER credit_grants_totalled ON credit_grants`);
    await db.query(`DROP FUNCTION total_grants()`);
    await db.query(`DROP TRIGGER usage_events_immutable ON usage_events`);
    await db.query(`DROP TRIGGER usage_events_rolled_up ON usage_events`);
    await db.query(`DROP FUNCTION usage_events_are_facts()`);
    await db.query(`DROP FUNCTION roll_up_usage()`);
    await db.query(`DROP TABLE usage_daily`);
    await db.query(`DROP TABLE credit_totals`);
  }
}
