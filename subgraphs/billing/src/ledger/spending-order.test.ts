import { bySpendingOrder, draw, type SpendableGrant } from './spending-order';

const day = (n: number) => new Date(Date.UTC(2026, 0, n));
const grant = (id: string, terms: Partial<SpendableGrant> = {}): SpendableGrant => ({
  id,
  category: 'PURCHASED',
  priority: 50,
  expiresAt: null,
  grantedAt: day(1),
  remaining: 100,
  ...terms,
});
const order = (grants: SpendableGrant[]) => [...grants].sort(bySpendingOrder).map((g) => g.id);

describe('the spending order', () => {
  it('spends the lowest priority number first, whatever else', () => {
    expect(order([grant('a', { priority: 60, expiresAt: day(2) }), grant('b', { priority: 10 })])).toEqual(['b', 'a']);
  });

  it('then the grant that expires soonest, never-expiring grants last', () => {
    expect(order([grant('never'), grant('late', { expiresAt: day(20) }), grant('soon', { expiresAt: day(5) })])).toEqual(['soon', 'late', 'never']);
  });

  it('then promotional before adjustments before purchased credits', () => {
    expect(order([grant('paid'), grant('adjusted', { category: 'ADJUSTMENT' }), grant('free', { category: 'PROMOTIONAL' })])).toEqual(['free', 'adjusted', 'paid']);
  });

  it('then the oldest grant, then the lower ID', () => {
    expect(order([grant('new', { grantedAt: day(3) }), grant('z'), grant('y')])).toEqual(['y', 'z', 'new']);
  });
});

describe('drawing a debit', () => {
  it('takes from each grant in order until the amount is covered, and records each draw', () => {
    const grants = [grant('a', { remaining: 30 }), grant('b', { remaining: 50 }), grant('c')];
    expect(draw(grants, 60)).toEqual({ draws: [{ grantId: 'a', amount: 30 }, { grantId: 'b', amount: 30 }], uncovered: 0 });
    expect(grants.map((g) => g.remaining)).toEqual([0, 20, 100]);
  });

  it('leaves what the grants cannot cover uncovered', () => {
    expect(draw([grant('a', { remaining: 5 })], 8)).toEqual({ draws: [{ grantId: 'a', amount: 5 }], uncovered: 3 });
    expect(draw([], 8)).toEqual({ draws: [], uncovered: 8 });
  });
});
