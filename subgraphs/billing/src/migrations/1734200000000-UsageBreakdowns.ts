// An organization's usage per project and per meter and mode, daily and hourly, so that its report's breakdowns read as
// many rows as it has projects and meters, not as many as its environments and meters had usage.
//
// The report by project, meter and mode summed usage_daily's rows, one per environment, meter and day: for the bench's
// 200-project organization over 30 days, 2,066 rows at 10,000 events and 14,352 at 100,000 (the rows fill in as events
// grow), 2.2 and 15 ms of PostgreSQL. These keep one row per project and one per meter and mode for each day and hour.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { notifyDataChanges } from '@orgapi/shared';

/** Each table, what it groups by besides the organization and the bucket, and the column list it is filled from. */
const TABLES = [
  { table: 'usage_project_totals', columns: ['project_id'] },
  { table: 'usage_meter_totals', columns: ['meter', 'mode'] },
] as const;

/** The upserts that add `sign` times the events of `source` (a table or a trigger's transition table) to each table. */
function rollUp(source: string, sign: '+' | '-'): string {
  return TABLES.map(({ table, columns }) => {
    const grouped = columns.join(', ');
    // In key order, so two transactions upserting the same rows lock them in the same order: no deadlock.
    return `
      INSERT INTO ${table} (organization_id, hourly, bucket, ${grouped}, quantity, amount)
      SELECT c.organization_id, b.hourly, b.bucket, ${columns.map((column) => `c.${column}`).join(', ')}, ${sign}sum(c.quantity), ${sign}sum(c.amount)
        FROM ${source} c
        CROSS JOIN LATERAL (VALUES (false, date_trunc('day', c.occurred_at, 'UTC')), (true, date_trunc('hour', c.occurred_at, 'UTC'))) AS b(hourly, bucket)
       GROUP BY 1, 2, 3, ${columns.map((_, i) => i + 4).join(', ')} ORDER BY 1, 2, 3, ${columns.map((_, i) => i + 4).join(', ')}
      ON CONFLICT (organization_id, hourly, bucket, ${grouped})
      DO UPDATE SET quantity = ${table}.quantity + EXCLUDED.quantity, amount = ${table}.amount + EXCLUDED.amount;`;
  }).join('\n');
}

export class UsageBreakdowns1734200000000 implements MigrationInterface {
  name = 'UsageBreakdowns1734200000000';

  async up(db: QueryRunner): Promise<void> {
    // The report reads the sums from the index alone once a page is all-visible (old days, after vacuum).
    await db.query(`
      CREATE TABLE usage_project_totals (
        organization_id text COLLATE "C" NOT NULL,
        hourly boolean NOT NULL,
        bucket timestamptz NOT NULL,
        project_id text COLLATE "C" NOT NULL,
        quantity bigint NOT NULL DEFAULT 0,
        amount bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (organization_id, hourly, bucket, project_id) INCLUDE (quantity, amount)
      )`);
    await db.query(`
      CREATE TABLE usage_meter_totals (
        organization_id text COLLATE "C" NOT NULL,
        hourly boolean NOT NULL,
        bucket timestamptz NOT NULL,
        meter text COLLATE "C" NOT NULL,
        mode text NOT NULL CHECK (mode IN ('SANDBOX', 'LIVE')),
        quantity bigint NOT NULL DEFAULT 0,
        amount bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (organization_id, hourly, bucket, meter, mode) INCLUDE (quantity, amount)
      )`);
    // A trigger of their own, after usage_events_rolled_up_<operation> (triggers fire in name order), so every
    // transaction takes the rollups' row locks in the same order.
    for (const [operation, table, sign] of [
      ['insert', 'NEW', '+'],
      ['delete', 'OLD', '-'],
    ] as const) {
      await db.query(`
        CREATE FUNCTION roll_up_usage_breakdowns_${operation}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          ${rollUp('changed', sign)}
          RETURN NULL;
        END $$`);
      await db.query(
        `CREATE TRIGGER usage_events_rolled_up_${operation}_breakdowns AFTER ${operation.toUpperCase()} ON usage_events REFERENCING ${table} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roll_up_usage_breakdowns_${operation}()`,
      );
    }
    // What was recorded before, rolled up once.
    await db.query(rollUp('usage_events', '+'));
    await notifyDataChanges(db);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const operation of ['insert', 'delete']) {
      await db.query(`DROP TRIGGER usage_events_rolled_up_${operation}_breakdowns ON usage_events`);
      await db.query(`DROP FUNCTION roll_up_usage_breakdowns_${operation}()`);
    }
    await db.query(`DROP TABLE usage_meter_totals`);
    await db.query(`DROP TABLE usage_project_totals`);
  }
}
