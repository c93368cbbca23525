// The ledger: one billing account per organization with its stored balance, an append-only ledger whose entries
// each carry the balance they left, grants that remember what is left of them, usage events that carry their mode,
// meter and idempotency key, and the alerts a balance raises. The service writes an entry and the balance it changes
// in one transaction under the account's row lock; the CHECKs below make a wrong total impossible to commit.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventOutboxTable } from '@orgapi/shared';

export class Ledger1734000000000 implements MigrationInterface {
  name = 'Ledger1734000000000';

  async up(db: QueryRunner): Promise<void> {
    // Totals were kept by triggers on grants; from now on the service keeps the account in the entry's transaction.
    await db.query(`DROP TRIGGER credit_grants_totalled ON credit_grants`);
    await db.query(`DROP TRIGGER credit_grants_immutable ON credit_grants`);
    await db.query(`DROP FUNCTION total_grants()`);

    await db.query(`
      CREATE TABLE billing_accounts (
        organization_id text COLLATE "C" PRIMARY KEY,
        balance bigint NOT NULL DEFAULT 0,
        granted bigint NOT NULL DEFAULT 0 CHECK (granted >= 0),
        used bigint NOT NULL DEFAULT 0 CHECK (used >= 0),
        expired bigint NOT NULL DEFAULT 0 CHECK (expired >= 0),
        adjusted bigint NOT NULL DEFAULT 0,
        overdraft_limit bigint NOT NULL DEFAULT 0 CHECK (overdraft_limit >= 0),
        low_balance_threshold bigint CHECK (low_balance_threshold >= 0),
        alert_state text NOT NULL DEFAULT 'OK' CHECK (alert_state IN ('OK', 'LOW', 'DEPLETED')),
        last_sequence bigint NOT NULL DEFAULT 0,
        next_expiry_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT billing_accounts_balance_adds_up CHECK (balance = granted + adjusted - used - expired)
      )`);
    await db.query(`CREATE INDEX billing_accounts_expiry_idx ON billing_accounts (next_expiry_at) WHERE next_expiry_at IS NOT NULL`);

    await db.query(`ALTER TABLE credit_grants RENAME COLUMN reason TO description`);
    await db.query(`
      ALTER TABLE credit_grants
        ADD COLUMN category text NOT NULL DEFAULT 'PROMOTIONAL' CHECK (category IN ('PURCHASED', 'PROMOTIONAL', 'ADJUSTMENT')),
        ADD COLUMN priority integer NOT NULL DEFAULT 50 CHECK (priority BETWEEN 0 AND 100),
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN remaining bigint NOT NULL DEFAULT 0 CHECK (remaining >= 0),
        ADD COLUMN reference text,
        ADD COLUMN actor_type text NOT NULL DEFAULT 'SYSTEM',
        ADD COLUMN actor_id text,
        ADD COLUMN voided_at timestamptz,
        ADD CONSTRAINT credit_grants_remaining_within_amount CHECK (remaining <= amount)`);
    await db.query(`ALTER TABLE credit_grants ALTER COLUMN category DROP DEFAULT`);
    // The grants that can still be spent, in spending order (ledger/spending-order.ts).
    await db.query(`CREATE INDEX credit_grants_spendable_idx ON credit_grants (organization_id, priority, expires_at) WHERE remaining > 0`);
    // What a grant was and to whom is a fact; only what is left of it (and whether it was voided) changes.
    await db.query(`
      CREATE FUNCTION credit_grants_keep_their_terms() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id <> OLD.id OR NEW.organization_id <> OLD.organization_id OR NEW.amount <> OLD.amount OR NEW.category <> OLD.category
           OR NEW.priority <> OLD.priority OR NEW.expires_at IS DISTINCT FROM OLD.expires_at OR NEW.granted_at <> OLD.granted_at THEN
          RAISE EXCEPTION 'a credit grant''s terms are not changed' USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_grants_terms_immutable';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER credit_grants_terms_immutable BEFORE UPDATE ON credit_grants FOR EACH ROW EXECUTE FUNCTION credit_grants_keep_their_terms()`);

    await db.query(`
      CREATE TABLE ledger_entries (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL,
        sequence bigint NOT NULL,
        kind text NOT NULL CHECK (kind IN ('GRANT', 'USAGE', 'EXPIRY', 'ADJUSTMENT', 'REVERSAL')),
        amount bigint NOT NULL CHECK (amount <> 0),
        balance_after bigint NOT NULL,
        grant_id text COLLATE "C",
        usage_event_id text COLLATE "C",
        project_id text COLLATE "C",
        environment_id text COLLATE "C",
        actor_type text NOT NULL CHECK (actor_type IN ('USER', 'API_KEY', 'SYSTEM')),
        actor_id text,
        reference text,
        description text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_entries_sequence_key UNIQUE (organization_id, sequence),
        CONSTRAINT ledger_entries_sign CHECK ((kind IN ('USAGE', 'EXPIRY')) = (amount < 0) OR kind = 'REVERSAL')
      )`);
    await db.query(`CREATE INDEX ledger_entries_time_idx ON ledger_entries (organization_id, created_at)`);
    await db.query(`CREATE INDEX ledger_entries_usage_idx ON ledger_entries (usage_event_id) WHERE usage_event_id IS NOT NULL`);
    // Which grants each debit drew from, and how much from each.
    await db.query(`
      CREATE TABLE ledger_draws (
        ledger_entry_id text COLLATE "C" NOT NULL,
        grant_id text COLLATE "C" NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        PRIMARY KEY (ledger_entry_id, grant_id)
      )`);
    await db.query(`
      CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger is append-only' USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_append_only';
      END $$`);
    await db.query(`CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only()`);
    await db.query(`CREATE TRIGGER ledger_draws_append_only BEFORE UPDATE OR DELETE ON ledger_draws FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only()`);

    await db.query(`
      CREATE TABLE billing_alerts (
        id text COLLATE "C" PRIMARY KEY,
        organization_id text COLLATE "C" NOT NULL,
        kind text NOT NULL CHECK (kind IN ('BALANCE_DROPPED', 'BALANCE_DEPLETED', 'BALANCE_RECOVERED')),
        balance bigint NOT NULL,
        threshold bigint,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX billing_alerts_organization_idx ON billing_alerts (organization_id, id)`);
    // Alerts reach the organizations service (audit log, emails to owners and billing members) through this outbox.
    await createEventOutboxTable(db);

    // Usage events: the meter (was "metric"), the environment's mode, what the caller sent, and who sent it.
    await db.query(`DROP TRIGGER usage_events_rolled_up ON usage_events`);
    await db.query(`DROP FUNCTION roll_up_usage()`);
    await db.query(`ALTER TABLE usage_events RENAME COLUMN metric TO meter`);
    await db.query(`ALTER TABLE usage_daily RENAME COLUMN metric TO meter`);
    // Events recorded before modes were kept all cost credits, as only LIVE usage does now.
    await db.query(`
      ALTER TABLE usage_events
        ADD COLUMN mode text NOT NULL DEFAULT 'LIVE' CHECK (mode IN ('SANDBOX', 'LIVE')),
        ADD COLUMN idempotency_key text,
        ADD COLUMN metadata jsonb,
        ADD COLUMN api_key_id text`);
    await db.query(`ALTER TABLE usage_events ALTER COLUMN mode DROP DEFAULT`);
    await db.query(`ALTER TABLE usage_daily ADD COLUMN mode text NOT NULL DEFAULT 'LIVE' CHECK (mode IN ('SANDBOX', 'LIVE'))`);
    await db.query(`ALTER TABLE usage_daily ALTER COLUMN mode DROP DEFAULT`);
    // Reports read whole days from usage_daily and the hours at a period's edges from usage_hourly, never raw events
    // (usage/usage-period.ts). Both are kept by statement-level triggers: one grouped upsert per table per statement,
    // so a batch of 1,000 events costs two statements, not two thousand.
    await db.query(`
      CREATE TABLE usage_hourly (
        environment_id text COLLATE "C" NOT NULL,
        meter text NOT NULL,
        hour timestamptz NOT NULL,
        organization_id text COLLATE "C" NOT NULL,
        project_id text COLLATE "C" NOT NULL,
        mode text NOT NULL CHECK (mode IN ('SANDBOX', 'LIVE')),
        quantity bigint NOT NULL DEFAULT 0,
        amount bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (environment_id, meter, hour)
      )`);
    await db.query(`CREATE INDEX usage_hourly_organization_idx ON usage_hourly (organization_id, hour)`);
    await db.query(`CREATE INDEX usage_hourly_project_idx ON usage_hourly (project_id, hour)`);
    // A report's total and days need no meter, mode or environment: these are the same rollups summed per
    // organization, project and environment (`key`), so the overview reads a few dozen rows per organization, not
    // one per environment and meter.
    await db.query(`
      CREATE TABLE usage_totals (
        key text COLLATE "C" NOT NULL,
        hourly boolean NOT NULL,
        bucket timestamptz NOT NULL,
        quantity bigint NOT NULL DEFAULT 0,
        amount bigint NOT NULL DEFAULT 0,
        -- The report reads the sums from the index alone once a page is all-visible (old days, after vacuum).
        PRIMARY KEY (key, hourly, bucket) INCLUDE (quantity, amount)
      )`);
    for (const [operation, table, sign] of [
      ['INSERT', 'NEW', '+'],
      ['DELETE', 'OLD', '-'],
    ] as const) {
      const name = `roll_up_usage_${operation.toLowerCase()}`;
      await db.query(`
        CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          -- In key order, so two transactions upserting the same rows lock them in the same order: no deadlock.
          INSERT INTO usage_daily (environment_id, meter, day, organization_id, project_id, mode, quantity, amount)
          SELECT environment_id, meter, (occurred_at AT TIME ZONE 'UTC')::date, min(organization_id), min(project_id), min(mode), ${sign}sum(quantity), ${sign}sum(amount)
            FROM changed GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
          ON CONFLICT (environment_id, meter, day)
          DO UPDATE SET quantity = usage_daily.quantity + EXCLUDED.quantity, amount = usage_daily.amount + EXCLUDED.amount;
          INSERT INTO usage_hourly (environment_id, meter, hour, organization_id, project_id, mode, quantity, amount)
          SELECT environment_id, meter, date_trunc('hour', occurred_at, 'UTC'), min(organization_id), min(project_id), min(mode), ${sign}sum(quantity), ${sign}sum(amount)
            FROM changed GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
          ON CONFLICT (environment_id, meter, hour)
          DO UPDATE SET quantity = usage_hourly.quantity + EXCLUDED.quantity, amount = usage_hourly.amount + EXCLUDED.amount;
          INSERT INTO usage_totals (key, hourly, bucket, quantity, amount)
          SELECT k.key, b.hourly, b.bucket, ${sign}sum(c.quantity), ${sign}sum(c.amount)
            FROM changed c
            CROSS JOIN LATERAL (VALUES (c.organization_id), (c.project_id), (c.environment_id)) AS k(key)
            CROSS JOIN LATERAL (VALUES (false, date_trunc('day', c.occurred_at, 'UTC')), (true, date_trunc('hour', c.occurred_at, 'UTC'))) AS b(hourly, bucket)
           GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
          ON CONFLICT (key, hourly, bucket)
          DO UPDATE SET quantity = usage_totals.quantity + EXCLUDED.quantity, amount = usage_totals.amount + EXCLUDED.amount;
          RETURN NULL;
        END $$`);
      await db.query(
        `CREATE TRIGGER usage_events_rolled_up_${operation.toLowerCase()} AFTER ${operation} ON usage_events REFERENCING ${table} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`,
      );
    }
    await db.query(`
      INSERT INTO usage_hourly (environment_id, meter, hour, organization_id, project_id, mode, quantity, amount)
      SELECT environment_id, meter, date_trunc('hour', occurred_at, 'UTC'), min(organization_id), min(project_id), min(mode), sum(quantity), sum(amount)
        FROM usage_events GROUP BY environment_id, meter, date_trunc('hour', occurred_at, 'UTC')`);
    await db.query(`
      INSERT INTO usage_totals (key, hourly, bucket, quantity, amount)
      SELECT k.key, b.hourly, b.bucket, sum(c.quantity), sum(c.amount)
        FROM usage_events c
        CROSS JOIN LATERAL (VALUES (c.organization_id), (c.project_id), (c.environment_id)) AS k(key)
        CROSS JOIN LATERAL (VALUES (false, date_trunc('day', c.occurred_at, 'UTC')), (true, date_trunc('hour', c.occurred_at, 'UTC'))) AS b(hourly, bucket)
       GROUP BY 1, 2, 3`);

    // The first answer to each idempotency key, per environment, for 24 hours (then the sweep forgets it).
    await db.query(`
      CREATE TABLE usage_idempotency_keys (
        environment_id text COLLATE "C" NOT NULL,
        idempotency_key text COLLATE "C" NOT NULL,
        usage_event_id text COLLATE "C" NOT NULL,
        request_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (environment_id, idempotency_key)
      )`);
    await db.query(`CREATE INDEX usage_idempotency_keys_age_idx ON usage_idempotency_keys (created_at)`);

    // What was recorded before: grants keep what the usage so far left of them (oldest spent first), each
    // organization gets its account, and the ledger opens with each grant and each charged event, in time order
    // (an entry's ID is its source's with the ledger's prefix: both are TypeIDs, unique and time-sorted).
    await db.query(`
      UPDATE credit_grants g SET remaining = greatest(0, least(g.amount, s.cumulative - s.used))
        FROM (SELECT c.id, sum(c.amount) OVER (PARTITION BY c.organization_id ORDER BY c.granted_at, c.id) AS cumulative,
                     coalesce((SELECT sum(u.amount) FROM usage_events u WHERE u.organization_id = c.organization_id), 0) AS used
                FROM credit_grants c) s
       WHERE g.id = s.id`);
    await db.query(`
      INSERT INTO ledger_entries (id, organization_id, sequence, kind, amount, balance_after, grant_id, usage_event_id, project_id, environment_id, actor_type, description, created_at)
      SELECT 'led_' || split_part(id, '_', 2), organization_id, row_number() OVER w, kind, amount, sum(amount) OVER w, grant_id, usage_event_id, project_id, environment_id, 'SYSTEM', description, at
        FROM (
          SELECT id, organization_id, 'GRANT' AS kind, amount, id AS grant_id, NULL AS usage_event_id, NULL AS project_id, NULL AS environment_id, description, granted_at AS at
            FROM credit_grants
          UNION ALL
          SELECT id, organization_id, 'USAGE', -amount, NULL, id, project_id, environment_id, 'Usage: ' || meter, occurred_at
            FROM usage_events WHERE amount > 0
        ) history
      WINDOW w AS (PARTITION BY organization_id ORDER BY at, id)`);
    await db.query(`
      INSERT INTO billing_accounts (organization_id, balance, granted, used, last_sequence, alert_state)
      SELECT organization_id, sum(amount), coalesce(sum(amount) FILTER (WHERE kind = 'GRANT'), 0), coalesce(-sum(amount) FILTER (WHERE kind = 'USAGE'), 0), max(sequence),
             CASE WHEN sum(amount) <= 0 THEN 'DEPLETED' ELSE 'OK' END
        FROM ledger_entries GROUP BY organization_id`);
    await db.query(`DROP TABLE credit_totals`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credit_totals (
        organization_id text COLLATE "C" PRIMARY KEY,
        granted bigint NOT NULL DEFAULT 0,
        used bigint NOT NULL DEFAULT 0
      )`);
    await db.query(`INSERT INTO credit_totals (organization_id, granted, used) SELECT organization_id, granted, used FROM billing_accounts`);
    await db.query(`DROP TABLE usage_idempotency_keys`);
    for (const operation of ['insert', 'delete']) {
      await db.query(`DROP TRIGGER usage_events_rolled_up_${operation} ON usage_events`);
      await db.query(`DROP FUNCTION roll_up_usage_${operation}()`);
    }
    await db.query(`DROP TABLE usage_totals`);
    await db.query(`DROP TABLE usage_hourly`);
    await db.query(`ALTER TABLE usage_daily DROP COLUMN mode`);
    await db.query(`ALTER TABLE usage_events DROP COLUMN mode, DROP COLUMN idempotency_key, DROP COLUMN metadata, DROP COLUMN api_key_id`);
    await db.query(`ALTER TABLE usage_daily RENAME COLUMN meter TO metric`);
    await db.query(`ALTER TABLE usage_events RENAME COLUMN meter TO metric`);
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
    await db.query(`DROP TABLE event_outbox`);
    await db.query(`DROP TABLE billing_alerts`);
    await db.query(`DROP TABLE ledger_draws`);
    await db.query(`DROP TABLE ledger_entries`);
    await db.query(`DROP FUNCTION ledger_is_append_only()`);
    await db.query(`DROP TRIGGER credit_grants_terms_immutable ON credit_grants`);
    await db.query(`DROP FUNCTION credit_grants_keep_their_terms()`);
    await db.query(`
      ALTER TABLE credit_grants DROP CONSTRAINT credit_grants_remaining_within_amount,
        DROP COLUMN category, DROP COLUMN priority, DROP COLUMN expires_at, DROP COLUMN remaining, DROP COLUMN reference,
        DROP COLUMN actor_type, DROP COLUMN actor_id, DROP COLUMN voided_at`);
    await db.query(`ALTER TABLE credit_grants RENAME COLUMN description TO reason`);
    await db.query(`DROP TABLE billing_accounts`);
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
  }
}
