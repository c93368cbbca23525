import { monthlyStatements } from './statements';

const now = new Date('2026-03-15T12:00:00Z');

describe('monthly statements', () => {
  it('opens each month with the last one\'s closing balance, from the first entry to the current month', () => {
    const statements = monthlyStatements(2026, now, {
      opening: 0,
      firstEntryAt: new Date('2026-01-20T00:00:00Z'),
      months: [
        { month: '2026-01', kind: 'GRANT', amount: 1000 },
        { month: '2026-01', kind: 'USAGE', amount: -200 },
        { month: '2026-03', kind: 'EXPIRY', amount: -300 },
        { month: '2026-03', kind: 'ADJUSTMENT', amount: 50 },
        { month: '2026-03', kind: 'REVERSAL', amount: -20 },
      ],
    });
    expect(statements.map((s) => [s.month, s.openingBalance, s.granted, s.used, s.expired, s.adjusted, s.closingBalance])).toEqual([
      ['2026-01', 0, 1000, 200, 0, 0, 800],
      ['2026-02', 800, 0, 0, 0, 0, 800],
      ['2026-03', 800, 0, 0, 300, 30, 530],
    ]);
    expect(statements[1].periodStart.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(statements[1].periodEnd.toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('covers a whole past year, opening with what came before it', () => {
    const statements = monthlyStatements(2025, now, { opening: 70, firstEntryAt: new Date('2024-05-01T00:00:00Z'), months: [] });
    expect(statements).toHaveLength(12);
    expect(statements.every((s) => s.openingBalance === 70 && s.closingBalance === 70)).toBe(true);
  });

  it('has nothing for a year before the first entry or an account without entries', () => {
    expect(monthlyStatements(2025, now, { opening: 0, firstEntryAt: new Date('2026-02-01T00:00:00Z'), months: [] })).toEqual([]);
    expect(monthlyStatements(2026, now, { opening: 0, firstEntryAt: null, months: [] })).toEqual([]);
  });

  it('refuses a year in the future or before 2000', () => {
    expect(() => monthlyStatements(2027, now, { opening: 0, firstEntryAt: null, months: [] })).toThrow('`year` must be a year from 2000 to 2026.');
    expect(() => monthlyStatements(1999, now, { opening: 0, firstEntryAt: null, months: [] })).toThrow('`year`');
  });
});
