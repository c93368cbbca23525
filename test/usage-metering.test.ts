// Recording usage with an environment's secret key: LIVE costs credits and SANDBOX does not, a retried event is
// charged once, a batch lands whole or not at all, and no race between concurrent debits takes the balance below
// what the organization may spend. After every test that writes, every count of the credits agrees.
import { randomUUID } from 'node:crypto';
import {
  codes,
  createKey,
  createOrganization,
  createProject,
  expectReconciled,
  expectOk,
  grantCredits,
  RECORD,
  RECORD_BATCH,
  signUp,
  startGraph,
  type CreatedProject,
  type SignedInUser,
  type TestGraph,
} from './harness';

let graph: TestGraph;
let owner: SignedInUser;
beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph, 'Metering Owner');
});
afterAll(() => graph?.stop());

const live = (project: CreatedProject) => project.environments.find((environment) => environment.mode === 'LIVE')!.id;
const sandbox = (project: CreatedProject) => project.environments.find((environment) => environment.mode === 'SANDBOX')!.id;

interface Recorded {
  replayed: boolean;
  event: { id: string; meter: string; quantity: number; amount: number; mode: string; idempotencyKey: string; metadata: unknown; environment: { id: string } };
}

/** An organization with one project, `credits` granted, and a secret key for each environment. */
async function billedProject(credits: number): Promise<{ organizationId: string; project: CreatedProject; liveKey: string; sandboxKey: string }> {
  const org = await createOrganization(graph, owner, 'Metered');
  const project = await createProject(graph, owner, org.id);
  if (credits > 0) await grantCredits(graph, org.id, credits);
  return { organizationId: org.id, project, liveKey: await createKey(graph, owner, live(project)), sandboxKey: await createKey(graph, owner, sandbox(project)) };
}

const record = (key: string, input: Record<string, unknown>) => graph.request<{ recordUsage: Recorded }>(RECORD, { input }, key);
const recordBatch = (key: string, events: Record<string, unknown>[]) =>
  graph.request<{ recordUsageBatch: { recorded: number; replayed: number; results: Recorded[] } }>(RECORD_BATCH, { input: { events } }, key);

const BALANCE = 'query($id: ID!) { organization(id: $id) { billing { balance { available used } } } }';
async function available(organizationId: string): Promise<number> {
  return expectOk(await graph.request<{ organization: { billing: { balance: { available: number } } } }>(BALANCE, { id: organizationId }, owner.token)).organization.billing.balance
    .available;
}
const eventCount = async (organizationId: string) =>
  Number((await graph.subgraphs.billing.db.query('SELECT count(*) AS n FROM usage_events WHERE organization_id = $1', [organizationId]))[0].n);

describe('recordUsage', () => {
  it('charges LIVE usage at the meter\'s price, in the same request the balance changes', async () => {
    const { organizationId, project, liveKey } = await billedProject(100);
    const result = expectOk(await record(liveKey, { meter: 'requests', quantity: 30, idempotencyKey: randomUUID(), metadata: { route: '/v1/things' } })).recordUsage;
    expect(result).toMatchObject({ replayed: false, event: { meter: 'requests', quantity: 30, amount: 30, mode: 'LIVE', metadata: { route: '/v1/things' }, environment: { id: live(project) } } });
    expect(await available(organizationId)).toBe(70);
    await expectReconciled(graph, organizationId, owner);
  });

  it('records SANDBOX usage for reports without costing anything, even with no credits at all', async () => {
    const { organizationId, sandboxKey } = await billedProject(0);
    const result = expectOk(await record(sandboxKey, { meter: 'requests', quantity: 500, idempotencyKey: randomUUID() })).recordUsage;
    expect(result.event).toMatchObject({ mode: 'SANDBOX', quantity: 500, amount: 0 });
    expect(await available(organizationId)).toBe(0);
    expect(await eventCount(organizationId)).toBe(1);
    await expectReconciled(graph, organizationId, owner);
  });

  it('refuses what the balance cannot cover with INSUFFICIENT_CREDITS, and records nothing', async () => {
    const { organizationId, liveKey } = await billedProject(10);
    const response = await record(liveKey, { meter: 'requests', quantity: 11, idempotencyKey: randomUUID() });
    expect(codes(response)).toEqual(['INSUFFICIENT_CREDITS']);
    expect(response.errors![0].message).toMatch(/Not enough credits.*11 credits and 10 are available/);
    expect(await eventCount(organizationId)).toBe(0);
    expect(await available(organizationId)).toBe(10);
  });

  it('answers a retry with the same key with the first result, charging once; another body under that key is a CONFLICT', async () => {
    const { organizationId, liveKey } = await billedProject(100);
    const input = { meter: 'requests', quantity: 5, idempotencyKey: randomUUID(), occurredAt: new Date(Date.now() - 60_000).toISOString() };
    const first = expectOk(await record(liveKey, input)).recordUsage;
    const again = expectOk(await record(liveKey, input)).recordUsage;
    expect(again).toEqual({ ...first, replayed: true });
    expect(await available(organizationId)).toBe(95);
    const changed = await record(liveKey, { ...input, quantity: 6 });
    expect(codes(changed)).toEqual(['CONFLICT']);
    expect(changed.errors![0].extensions).toMatchObject({ field: 'idempotencyKey' });
    expect(await eventCount(organizationId)).toBe(1);
    await expectReconciled(graph, organizationId, owner);
  });

  it('charges once when the same key arrives many times at the same moment', async () => {
    const { organizationId, liveKey, sandboxKey } = await billedProject(1_000);
    for (const key of [liveKey, sandboxKey]) {
      const input = { meter: 'requests', quantity: 7, idempotencyKey: randomUUID() };
      const results = await Promise.all(Array.from({ length: 12 }, () => record(key, input)));
      const ids = new Set(results.map((response) => expectOk(response).recordUsage.event.id));
      expect(ids.size).toBe(1);
      expect(results.filter((response) => !response.data!.recordUsage.replayed)).toHaveLength(1);
    }
    expect(await available(organizationId)).toBe(993);
    expect(await eventCount(organizationId)).toBe(2);
    await expectReconciled(graph, organizationId, owner);
  });

  it('forgets a key after 24 hours: the same key then records a new event', async () => {
    const { organizationId, liveKey } = await billedProject(100);
    const input = { meter: 'requests', quantity: 1, idempotencyKey: randomUUID() };
    const first = expectOk(await record(liveKey, input)).recordUsage;
    await graph.subgraphs.billing.db.query(`UPDATE usage_idempotency_keys SET created_at = now() - interval '24 hours 1 second' WHERE idempotency_key = $1`, [input.idempotencyKey]);
    const later = expectOk(await record(liveKey, input)).recordUsage;
    expect(later.replayed).toBe(false);
    expect(later.event.id).not.toBe(first.event.id);
    expect(await available(organizationId)).toBe(98);
  });

  it('takes only an environment\'s secret key: a publishable key, a user\'s token or no credential records nothing', async () => {
    const { organizationId, project } = await billedProject(100);
    const publishable = await createKey(graph, owner, live(project), 'PUBLISHABLE');
    const input = { meter: 'requests', quantity: 1, idempotencyKey: randomUUID() };
    const byPublishable = await record(publishable, input);
    expect(codes(byPublishable)).toEqual(['FORBIDDEN']);
    expect(byPublishable.errors![0].message).toMatch(/publishable key cannot record usage/);
    const byUser = await record(owner.token, input);
    expect(codes(byUser)).toEqual(['FORBIDDEN']);
    expect(byUser.errors![0].message).toMatch(/secret key/);
    expect(codes(await graph.request(RECORD, { input }))).toEqual(['UNAUTHENTICATED']);
    expect(await eventCount(organizationId)).toBe(0);
  });

  it('refuses a sandbox key naming the LIVE environment: a sandbox key never charges live', async () => {
    const { organizationId, project, sandboxKey } = await billedProject(100);
    const response = await record(sandboxKey, { meter: 'requests', quantity: 1, idempotencyKey: randomUUID(), environmentId: live(project) });
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.errors![0].message).toMatch(/its own SANDBOX environment/);
    expect(await eventCount(organizationId)).toBe(0);
  });

  it.each([
    ['a quantity of 0', { quantity: 0 }, 'quantity'],
    ['a negative quantity', { quantity: -3 }, 'quantity'],
    ['an unknown meter', { meter: 'gpu_hours' }, 'meter'],
    ['a time more than 5 minutes ahead', { occurredAt: new Date(Date.now() + 6 * 60_000).toISOString() }, 'occurredAt'],
    ['a time more than 35 days ago', { occurredAt: new Date(Date.now() - 36 * 86_400_000).toISOString() }, 'occurredAt'],
    ['metadata with more than 50 keys', { metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }, 'metadata'],
    ['metadata over 4 KiB', { metadata: { note: 'x'.repeat(4_200) } }, 'metadata'],
    ['a NUL character in metadata', { metadata: { note: 'a\u0000b' } }, 'metadata.note'],
    ['an empty idempotency key', { idempotencyKey: '' }, 'idempotencyKey'],
    ['an idempotency key of 256 characters', { idempotencyKey: 'k'.repeat(256) }, 'idempotencyKey'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and records nothing', async (_, change, field) => {
    const { organizationId, liveKey } = await billedProject(100);
    const response = await record(liveKey, { meter: 'requests', quantity: 1, idempotencyKey: randomUUID(), ...change });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions).toMatchObject({ field });
    expect(await eventCount(organizationId)).toBe(0);
  });
});

describe('recordUsageBatch', () => {
  const events = (count: number, quantity = 1) => Array.from({ length: count }, () => ({ meter: 'requests', quantity, idempotencyKey: randomUUID() }));

  it('records up to 1,000 events in one request, answering in input order', async () => {
    const { organizationId, liveKey } = await billedProject(5_000);
    const batch = events(1_000, 2);
    const result = expectOk(await recordBatch(liveKey, batch)).recordUsageBatch;
    expect(result).toMatchObject({ recorded: 1_000, replayed: 0 });
    expect(result.results.map((r) => r.event.idempotencyKey)).toEqual(batch.map((e) => e.idempotencyKey));
    expect(await available(organizationId)).toBe(3_000);
    await expectReconciled(graph, organizationId, owner);
  });

  it('refuses more than 1,000 events, or none', async () => {
    const { liveKey } = await billedProject(5_000);
    const tooMany = await recordBatch(liveKey, events(1_001));
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.errors![0].message).toMatch(/at most 1000 events/);
    expect(codes(await recordBatch(liveKey, []))).toEqual(['BAD_USER_INPUT']);
  });

  it('names every invalid event by index and records none of the batch', async () => {
    const { organizationId, liveKey } = await billedProject(100);
    const batch = events(5);
    batch[1].quantity = 0;
    batch[3].meter = 'nope';
    batch[4].idempotencyKey = batch[0].idempotencyKey;
    const response = await recordBatch(liveKey, batch);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions).toMatchObject({
      field: 'events[1].quantity',
      events: [
        { index: 1, field: 'quantity' },
        { index: 3, field: 'meter' },
        { index: 4, field: 'idempotencyKey', message: expect.stringContaining('events[0]') },
      ],
    });
    expect(await eventCount(organizationId)).toBe(0);
  });

  it('treats events already recorded as replays, so a retried batch never fails for what landed', async () => {
    const { organizationId, liveKey } = await billedProject(100);
    const first = events(3);
    expectOk(await recordBatch(liveKey, first));
    const retried = expectOk(await recordBatch(liveKey, [...first, ...events(2)])).recordUsageBatch;
    expect(retried).toMatchObject({ recorded: 2, replayed: 3 });
    expect(retried.results.map((r) => r.replayed)).toEqual([true, true, true, false, false]);
    expect(await available(organizationId)).toBe(95);
    await expectReconciled(graph, organizationId, owner);
  });

  it('refuses the whole batch when the balance covers only part of it, naming the events it could not cover', async () => {
    const { organizationId, liveKey } = await billedProject(10);
    const response = await recordBatch(liveKey, events(4, 3));
    expect(codes(response)).toEqual(['INSUFFICIENT_CREDITS']);
    expect(response.errors![0].extensions).toMatchObject({ events: [3], required: 12, available: 10 });
    expect(await eventCount(organizationId)).toBe(0);
    expect(await available(organizationId)).toBe(10);
  });
});

describe('concurrent debits', () => {
  it('never take the balance below zero: 60 debits racing for credits that cover 25 of them', async () => {
    const { organizationId, liveKey } = await billedProject(100);
    const results = await Promise.all(Array.from({ length: 60 }, () => record(liveKey, { meter: 'requests', quantity: 4, idempotencyKey: randomUUID() })));
    const accepted = results.filter((response) => !response.errors);
    expect(accepted).toHaveLength(25);
    expect(results.filter((response) => codes(response)?.[0] === 'INSUFFICIENT_CREDITS')).toHaveLength(35);
    expect(await available(organizationId)).toBe(0);
    expect(await eventCount(organizationId)).toBe(25);
    await expectReconciled(graph, organizationId, owner);
  });

  it('never go past the overdraft limit, however many race', async () => {
    const { organizationId, liveKey } = await billedProject(20);
    await graph.subgraphs.billing.db.query('UPDATE billing_accounts SET overdraft_limit = 30 WHERE organization_id = $1', [organizationId]);
    const results = await Promise.all(Array.from({ length: 50 }, () => record(liveKey, { meter: 'requests', quantity: 3, idempotencyKey: randomUUID() })));
    expect(results.filter((response) => !response.errors)).toHaveLength(16);
    expect(await available(organizationId)).toBe(-28);
    const counts = await expectReconciled(graph, organizationId, owner);
    expect(counts.grantsRemaining).toBe(0);
  });
});
