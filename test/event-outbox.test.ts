// The event outbox: an event goes out only for a committed change, reaches the subscriber's route once it commits,
// is retried while the subscriber fails, and is given up on when the subscriber refuses it for good.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { AppError, createEventOutboxTable, EventRelay, eventsRoute, openDatabase, publishEvent, ROUTER_SECRET_HEADER, type PublishedEvent } from '@orgapi/shared';

class CreateEventOutbox1733600000000 implements MigrationInterface {
  name = 'CreateEventOutbox1733600000000';
  up = (db: QueryRunner) => createEventOutboxTable(db);
  down = async () => undefined;
}

const adminUrl = () => process.env.ORGAPI_TEST_ADMIN_URL!;
const SECRET = 'a-router-secret-for-this-test';

/** A subscriber: the shared route behind a server that checks the router secret, as a subgraph's internal routes do. */
async function startSubscriber(handle: (event: PublishedEvent) => Promise<void>) {
  const route = eventsRoute({ 'test.happened': handle });
  const server = http.createServer((req, res) => {
    if (req.headers[ROUTER_SECRET_HEADER] !== SECRET) return void res.writeHead(401).end();
    // As the subgraphs' server answers: a refusal (AppError) is a 400, a failure a 500.
    Promise.resolve(route(req, res)).catch((error: Error) => res.writeHead(error instanceof AppError ? 400 : 500).end(error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/internal/events`, close: () => server.close() };
}

const rowsOf = (db: DataSource) => db.query(`SELECT topic, status, attempts, last_error FROM event_outbox ORDER BY created_at, id`);

describe('the event outbox', () => {
  let db: DataSource;
  const schema = `events_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await openDatabase({ url: adminUrl(), schema, entities: [], migrations: [CreateEventOutbox1733600000000] });
  });
  afterAll(async () => {
    await db?.query(`DROP SCHEMA "${schema}" CASCADE`);
    await db?.destroy();
  });
  beforeEach(() => db.query('DELETE FROM event_outbox'));

  const publish = (topic: string, payload: Record<string, unknown>) =>
    db.transaction((tx) => publishEvent(tx, topic, payload));

  it('delivers a committed event to the subscriber with its id, topic, payload and time, and marks it sent', async () => {
    const received: PublishedEvent[] = [];
    const subscriber = await startSubscriber(async (event) => void received.push(event));
    const relay = new EventRelay(db, subscriber.url, SECRET, { maxAttempts: 3, retryBaseSeconds: 0.05 });
    try {
      const id = await publish('test.happened', { userId: 'usr_1', email: 'ada@example.com' });
      await relay.deliverDue();
      expect(received).toEqual([{ id, topic: 'test.happened', payload: { userId: 'usr_1', email: 'ada@example.com' }, occurredAt: expect.any(String) }]);
      expect(await rowsOf(db)).toEqual([{ topic: 'test.happened', status: 'sent', attempts: 1, last_error: null }]);
    } finally {
      subscriber.close();
    }
  });

  it('publishes nothing for a change that rolled back', async () => {
    await expect(
      db.transaction(async (tx) => {
        await publishEvent(tx, 'test.happened', { n: 1 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await rowsOf(db)).toEqual([]);
  });

  it('retries while the subscriber fails, then delivers once', async () => {
    let failures = 1;
    const received: string[] = [];
    const subscriber = await startSubscriber(async (event) => {
      if (failures-- > 0) throw new Error('the database is down');
      received.push(event.id);
    });
    const relay = new EventRelay(db, subscriber.url, SECRET, { maxAttempts: 3, retryBaseSeconds: 0.05 });
    try {
      const id = await publish('test.happened', {});
      const first = await relay.deliverDue();
      expect(first.retryInMs).toBe(50);
      expect(await rowsOf(db)).toEqual([{ topic: 'test.happened', status: 'pending', attempts: 1, last_error: expect.stringContaining('500') }]);
      await new Promise((resolve) => setTimeout(resolve, 80));
      await relay.deliverDue();
      expect(received).toEqual([id]);
      expect(await rowsOf(db)).toEqual([{ topic: 'test.happened', status: 'sent', attempts: 2, last_error: null }]);
    } finally {
      subscriber.close();
    }
  });

  it('gives up at once on an event the subscriber refuses for good (a topic it does not know, a wrong secret)', async () => {
    const subscriber = await startSubscriber(async () => undefined);
    const relay = new EventRelay(db, subscriber.url, SECRET, { maxAttempts: 5, retryBaseSeconds: 0.05 });
    const forged = new EventRelay(db, subscriber.url, 'not-the-secret', { maxAttempts: 5, retryBaseSeconds: 0.05 });
    try {
      await publish('test.unknown', {});
      await relay.deliverDue();
      await publish('test.happened', {});
      await forged.deliverDue();
      expect(await rowsOf(db)).toEqual([
        { topic: 'test.unknown', status: 'failed', attempts: 1, last_error: expect.stringContaining('400') },
        { topic: 'test.happened', status: 'failed', attempts: 1, last_error: expect.stringContaining('401') },
      ]);
    } finally {
      subscriber.close();
    }
  });
});
