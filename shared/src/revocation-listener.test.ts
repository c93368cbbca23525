// The barrier every cached credential and kept read waits for, against a real PostgreSQL: what it promises (every
// revocation committed before a request arrived has been heard) and what it costs (round trips, shared).
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { REVOCATION_CHANNEL, RevocationListener } from './revocation-listener';

const url = () => {
  const admin = process.env.ORGAPI_TEST_ADMIN_URL;
  if (!admin) throw new Error('ORGAPI_TEST_ADMIN_URL is set by the tests\' global setup');
  return admin;
};

let listener: RevocationListener;
let notifier: Client;
let revocations: number;

beforeEach(async () => {
  listener = new RevocationListener(url());
  revocations = 0;
  listener.onRevocation(() => revocations++);
  await listener.start();
  notifier = new Client({ connectionString: url() });
  await notifier.connect();
});

afterEach(async () => {
  await listener.stop();
  await notifier.end();
});

it('has heard every revocation committed before a request arrived once its barrier returns', async () => {
  const before = revocations;
  for (let i = 0; i < 20; i++) {
    await notifier.query(`SELECT pg_notify($1, 'session')`, [REVOCATION_CHANNEL]);
    expect(await listener.barrier(performance.now())).toBe(true);
    expect(revocations).toBe(before + i + 1);
  }
});

it('asks PostgreSQL once for the requests of one moment, and not again for a request a returned barrier answers for', async () => {
  const arrived = performance.now();
  expect(await Promise.all(Array.from({ length: 5 }, () => listener.barrier(arrived)))).toEqual([true, true, true, true, true]);
  expect(listener.roundTrips).toBe(1);
  // The same request's kept reads, after its credential check: the barrier that returned started after it arrived.
  expect(await listener.barrier(arrived)).toBe(true);
  expect(listener.roundTrips).toBe(1);
  // A request that arrived after that barrier started needs one of its own.
  expect(await listener.barrier(performance.now())).toBe(true);
  expect(listener.roundTrips).toBe(2);
});

it('trusts nothing while its connection is lost, and nothing heard on the lost connection once it is back', async () => {
  const arrived = performance.now();
  expect(await listener.barrier(arrived)).toBe(true);
  await notifier.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'revocation-listener' AND datname = current_database()`);
  await waitFor(async () => !(await listener.barrier(arrived)));
  // Reconnected (after half a second): a barrier of the new connection is asked, not the lost one's reused.
  await waitFor(async () => await listener.barrier(arrived));
  expect(listener.roundTrips).toBe(2);
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
