// Every table a subgraph's loaders read tells the subgraph's services that it changed, at commit: one notification
// per transaction on the schema's channel, whoever wrote (a service, a sweep, an operator's SQL). That is what lets
// read-caching.ts keep loader results between requests and still never answer with data older than the request.
import type { QueryRunner } from 'typeorm';

/** The channel a schema's tables notify on (LISTENed to by the subgraph's RevocationListener). */
export const dataChangeChannel = (schema: string) => `data_changes_${schema}`;

/**
 * Tables no loader reads, left out because something rewrites them all the time: TypeORM's migration history, the
 * outboxes, whose relays claim rows every few seconds (a claim that finds nothing is still an UPDATE statement), and
 * identity's rate limits (`login_limits`: every failed log-in and every emailed link counts there).
 */
export const UNWATCHED_TABLES = ['migrations', 'outbox', 'event_outbox', 'login_limits'] as const;

/** The trigger a table carries, by the table's name. */
export const dataChangeTrigger = (table: string) => `${table}_data_changed`;

/**
 * Adds the notifying trigger to every table of the migration's schema that lacks it (except UNWATCHED_TABLES). A
 * migration that creates a table calls it again; test/read-cache.test.ts checks that every table has it.
 */
export async function notifyDataChanges(db: QueryRunner): Promise<void> {
  await db.query(`
    CREATE OR REPLACE FUNCTION notify_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('data_changes_' || TG_TABLE_SCHEMA, '');
      RETURN NULL;
    END $$`);
  const tables: { tablename: string }[] = await db.query(
    `SELECT tablename FROM pg_tables t WHERE schemaname = current_schema() AND NOT (tablename = ANY($1))
        AND NOT EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = t.schemaname AND c.relname = t.tablename AND g.tgname = t.tablename || '_data_changed')`,
    [[...UNWATCHED_TABLES]],
  );
  for (const { tablename } of tables) {
    await db.query(
      `CREATE TRIGGER "${dataChangeTrigger(tablename)}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${tablename}" FOR EACH STATEMENT EXECUTE FUNCTION notify_data_change()`,
    );
  }
}

/** Removes what notifyDataChanges added, for a migration's `down`. */
export async function stopNotifyingDataChanges(db: QueryRunner): Promise<void> {
  await db.query('DROP FUNCTION IF EXISTS notify_data_change() CASCADE');
}
