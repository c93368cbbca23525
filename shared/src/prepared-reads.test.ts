import type { DataSource } from 'typeorm';
import { derivedOnce, PreparedReads } from './prepared-reads';
import { readCachePlugin } from './read-cache-plugin';
import type { RevocationListener } from './revocation-listener';

/** A pool that counts what reaches PostgreSQL, answering one row per query; and a listener whose barrier always holds. */
function harness(heard = true) {
  const sent: string[] = [];
  const db = {
    driver: { master: { query: async ({ name }: { name: string }) => (sent.push(name), { rows: [{ n: sent.length }] }) } },
    logger: { logQuery: () => undefined },
  } as unknown as DataSource;
  const changes = { generation: 0, barrier: async () => heard } as unknown as RevocationListener & { generation: number };
  return { reads: new PreparedReads(db, changes), changes, sent };
}

describe('prepared reads', () => {
  it('answer the same read from memory until a change is heard', async () => {
    const { reads, changes, sent } = harness();
    const request = () => reads.forRequest(0, { enabled: true });
    expect(await request().query('SELECT 1 FROM t WHERE id = $1', ['a'])).toEqual([{ n: 1 }]);
    expect(await request().query('SELECT 1 FROM t WHERE id = $1', ['a'])).toEqual([{ n: 1 }]);
    expect(sent).toHaveLength(1);
    await request().query('SELECT 1 FROM t WHERE id = $1', ['b']);
    expect(sent).toHaveLength(2);
    changes.generation++;
    expect(await request().query('SELECT 1 FROM t WHERE id = $1', ['a'])).toEqual([{ n: 3 }]);
  });

  it('never keep a read that asks the clock, nor answer from memory when the switch is off or the barrier fails', async () => {
    const { reads, sent } = harness();
    for (let i = 0; i < 2; i++) await reads.forRequest(0, { enabled: true }).query('SELECT expires_at <= now() FROM t', []);
    expect(sent).toHaveLength(2);
    await reads.forRequest(0, { enabled: true }).query('SELECT 2', []);
    await reads.forRequest(0, { enabled: false }).query('SELECT 2', []);
    expect(sent).toHaveLength(4);
    const unheard = harness(false);
    for (let i = 0; i < 2; i++) await unheard.reads.forRequest(0, { enabled: true }).query('SELECT 3', []);
    expect(unheard.sent).toHaveLength(2);
  });

  it('freeze what they keep, so no request can change another\'s answer', async () => {
    const { reads } = harness();
    const rows = (await reads.forRequest(0, { enabled: true }).query('SELECT 4', [])) as { n: number }[];
    expect(() => (rows[0].n = 99)).toThrow(TypeError);
  });
});

describe('derivedOnce', () => {
  it('computes from kept rows once until a change replaces them, and from fresh rows every time', async () => {
    const { reads, changes } = harness();
    let sums = 0;
    const total = async (enabled: boolean) => {
      const rows = (await reads.forRequest(0, { enabled }).query('SELECT 5', [])) as { n: number }[];
      return derivedOnce(rows, 'total', () => (sums++, [{ total: rows.reduce((sum, row) => sum + row.n, 0) }]));
    };
    const first = await total(true);
    expect(await total(true)).toBe(first);
    expect(sums).toBe(1);
    changes.generation++;
    await total(true);
    expect(sums).toBe(2);
    await total(false);
    await total(false);
    expect(sums).toBe(4);
    expect(() => ((first[0] as { total: number }).total = 0)).toThrow(TypeError);
  });
});

describe('readCachePlugin', () => {
  it('turns kept reads off for a mutation, and leaves them on for a query', async () => {
    const plugin = readCachePlugin();
    const run = async (operation: 'query' | 'mutation') => {
      const readCache = { enabled: true };
      const hooks = await plugin.requestDidStart!({} as never);
      await hooks!.didResolveOperation!({ operation: { operation }, contextValue: { readCache } } as never);
      return readCache.enabled;
    };
    expect(await run('query')).toBe(true);
    expect(await run('mutation')).toBe(false);
  });
});
