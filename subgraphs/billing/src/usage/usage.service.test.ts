// How a report shows grouped usage, without a database: every day in order, projects by spend, meters by name, both modes.
import { usagePeriod } from './usage-period';
import type { UsageGroup } from './usage.loader';
import { UsageService } from './usage.service';

const usage = new UsageService();
const group = (value: string, amount: number, quantity = amount): UsageGroup => ({ key: 'org_1', group: value, amount, quantity });

it('lists every day of the period in order, days without usage as 0, and totals them', () => {
  const period = usagePeriod(new Date('2026-11-01T12:00:00Z'), new Date('2026-11-04T00:00:00Z'));
  expect(usage.report([group('2026-11-03', 5), group('2026-11-01', 2)], period)).toEqual({
    total: 7,
    byDay: [
      { date: '2026-11-01', amount: 2 },
      { date: '2026-11-02', amount: 0 },
      { date: '2026-11-03', amount: 5 },
    ],
  });
});

it('totals the groups of any breakdown', () => {
  expect(usage.total([group('', 12)])).toBe(12);
  expect(usage.total([])).toBe(0);
});

it('lists projects by credits used, the largest first, ties by ID', () => {
  expect(usage.byProject([group('prj_b', 5), group('prj_c', 9), group('prj_a', 5), group('prj_d', 0)])).toEqual([
    { project: { id: 'prj_c' }, amount: 9 },
    { project: { id: 'prj_a' }, amount: 5 },
    { project: { id: 'prj_b' }, amount: 5 },
    { project: { id: 'prj_d' }, amount: 0 },
  ]);
});

it('lists meters by name, with units and credits', () => {
  expect(usage.byMeter([group('storage_gb', 30, 3), group('requests', 0, 40), group('requests_v2', 1)])).toEqual([
    { meter: 'requests', amount: 0, quantity: 40 },
    { meter: 'requests_v2', amount: 1, quantity: 1 },
    { meter: 'storage_gb', amount: 30, quantity: 3 },
  ]);
});

it('lists both modes, SANDBOX then LIVE, a mode without usage as 0', () => {
  expect(usage.byEnvironmentMode([group('LIVE', 8, 8)])).toEqual([
    { mode: 'SANDBOX', amount: 0, quantity: 0 },
    { mode: 'LIVE', amount: 8, quantity: 8 },
  ]);
  expect(usage.byEnvironmentMode([group('SANDBOX', 0, 40), group('LIVE', 2, 2)]).map((mode) => mode.mode)).toEqual(['SANDBOX', 'LIVE']);
});
