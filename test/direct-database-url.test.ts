// Behind a transaction-mode pooler (PgBouncer) a session lasts one transaction, so what needs a session of its own,
// LISTEN and the migrations' advisory lock, goes over DIRECT_DATABASE_URL (docs/scaling.md, Connection pooling). Here
// both URLs reach the same database as the same role, told apart by their application_name in pg_stat_activity.
import { randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { eventChannel, openDatabase, type RunningSubgraph } from '@orgapi/shared';
import { asRouter, eventually, expectOk, logOut, signUp, startGraph, startReplica, unique, withConnection, type TestGraph } from './harness';

/** `url` with the application_name its connections show in pg_stat_activity. */
const named = (url: string, applicationName: string) => {
  const named = new URL(url);
  named.searchParams.set('application_name', applicationName);
  return named.toString();
};

describe('a billing replica whose DATABASE_URL goes through a pooler, with DIRECT_DATABASE_URL set', () => {
  let graph: TestGraph;
  let replica: RunningSubgraph;
  const pooled = unique('billing-pooled');
  const direct = unique('billing-direct');

  beforeAll(async () => {
    // A long cache: a revocation the replica did not hear would pass for a minute.
    graph = await startGraph({ env: { CREDENTIAL_CACHE_SECONDS: '60' } });
    replica = await startReplica(graph, 'billing', {
      DATABASE_URL: named(graph.serviceUrls.billing, pooled),
      DIRECT_DATABASE_URL: named(graph.serviceUrls.billing, direct),
      CREDENTIAL_CACHE_SECONDS: '60',
    });
  });
  afterAll(async () => {
    await replica?.stop();
    await graph?.stop();
  });

  /** The replica's connections as the server's administrator sees them: which URL each came through, and its last statement. */
  const connections = (): Promise<{ url: string; query: string }[]> =>
    withConnection(graph.databaseUrl, async (admin) => {
      const { rows } = await admin.query(`SELECT application_name AS url, query FROM pg_stat_activity WHERE application_name = ANY($1)`, [[pooled, direct]]);
      return rows;
    });
  const over = (rows: { url: string; query: string }[], url: string) => rows.filter((row) => row.url === url).map((row) => row.query);

  it('listens over DIRECT_DATABASE_URL and runs its queries over DATABASE_URL', async () => {
    const relayListens = `LISTEN "${eventChannel('billing')}"`;
    // The event relay listens once its loop has started, and claims its rows (event_outbox) through the pool.
    const rows = await eventually(connections, (now) => over(now, direct).includes(relayListens) && over(now, pooled).some((query) => query.includes('event_outbox')));
    // Over the direct URL, the two sessions that listen and nothing else (the migrations' connections are closed):
    // the relay's, and the revocation listener's, whose last statement is its LISTEN or a barrier (an empty query).
    expect(over(rows, direct)).toHaveLength(2);
    expect(over(rows, direct)).toEqual(expect.arrayContaining([relayListens, expect.stringMatching(/^(LISTEN data_changes_billing|)$/)]));
    expect(over(rows, pooled).some((query) => query.includes('event_outbox'))).toBe(true);
    expect(over(rows, pooled).filter((query) => query.startsWith('LISTEN'))).toEqual([]);
  });

  it('refuses a session logged out elsewhere on the very next request', async () => {
    const user = await signUp(graph, 'Pia Pooled');
    const ask = () => asRouter(graph, replica.url).send('{ __typename }', {}, { authorization: `Bearer ${user.token}` });
    expect((await ask()).errors).toBeUndefined(); // the replica now has the session cached as live, for a minute
    expectOk(await logOut(graph, user));
    expect((await ask()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

/** Records which session ran it and which session held the migrations' advisory lock of its schema meanwhile. */
class RecordSessions1700000000000 implements MigrationInterface {
  name = 'RecordSessions1700000000000';
  async up(db: QueryRunner) {
    // A session advisory lock on a bigint key shows in pg_locks as its high (classid) and low (objid) 32 bits.
    await db.query(`
      CREATE TABLE sessions AS
      SELECT current_setting('application_name') AS migrating,
             (SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
               WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                 AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtext('migrations:' || current_schema())::bigint) AS locking`);
  }
  down = async () => undefined;
}

it('migrations run over DIRECT_DATABASE_URL, under its advisory lock, and leave no connection open there', async () => {
  const adminUrl = process.env.ORGAPI_TEST_ADMIN_URL!;
  const schema = `direct_${randomBytes(4).toString('hex')}`;
  const pooled = unique('pooled');
  const direct = unique('direct');
  const db = await openDatabase({ url: named(adminUrl, pooled), directUrl: named(adminUrl, direct), schema, entities: [], migrations: [RecordSessions1700000000000] });
  try {
    expect(await db.query('SELECT migrating, locking FROM sessions')).toEqual([{ migrating: direct, locking: direct }]);
    expect(await db.query(`SELECT current_setting('application_name') AS name`)).toEqual([{ name: pooled }]);
    const [{ count }] = await db.query('SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = $1', [direct]);
    expect(count).toBe(0);
  } finally {
    await db.query(`DROP SCHEMA "${schema}" CASCADE`);
    await db.destroy();
  }
});
