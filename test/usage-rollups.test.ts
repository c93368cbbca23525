// Usage reports read daily rollups kept by a trigger, not every event: the answers are the same as summing the raw
// events, for whole days and for periods that start or end mid-day, and the rollups never drift from the events.
import { createOrganization, createProject, expectOk, grantCredits, recordUsage, signUp, startGraph, type SignedInUser, type TestGraph } from './harness';

let graph: TestGraph;
let owner: SignedInUser;
beforeAll(async () => {
  graph = await startGraph();
  owner = await signUp(graph, 'Rollo Rollups');
});
afterAll(() => graph?.stop());

const USAGE = `query($id: ID!, $from: DateTime!, $to: DateTime!) {
  organization(id: $id) {
    creditUsage(from: $from, to: $to) { total byDay { date amount } }
    projects { nodes { creditUsage(from: $from, to: $to) { total } environments { creditUsage(from: $from, to: $to) { total } } } }
  }
}`;

interface Report {
  organization: {
    creditUsage: { total: number; byDay: { date: string; amount: number }[] };
    projects: { nodes: { creditUsage: { total: number }; environments: { creditUsage: { total: number } }[] }[] };
  };
}

describe('usage reports from rollups', () => {
  const events = [
    { at: '2026-11-01T00:00:00Z', amount: 1 },
    { at: '2026-11-01T09:30:00Z', amount: 2 },
    { at: '2026-11-01T23:59:59.999Z', amount: 4 },
    { at: '2026-11-02T00:00:00Z', amount: 8 },
    { at: '2026-11-02T12:00:00Z', amount: 16 },
    { at: '2026-11-03T06:00:00Z', amount: 32 },
    { at: '2026-11-03T18:00:00Z', amount: 64 },
  ];
  let organizationId: string;
  beforeAll(async () => {
    const org = await createOrganization(graph, owner, 'Rolled Up');
    organizationId = org.id;
    const project = await createProject(graph, owner, org.id);
    await grantCredits(graph, org.id, 1_000);
    for (const [index, event] of events.entries()) {
      const environment = project.environments[index % 2];
      await recordUsage(graph, { organizationId: org.id, projectId: project.id, environmentId: environment.id, amount: event.amount, at: new Date(event.at) });
    }
  });

  // A report counts every UTC hour that overlaps [from, to), in full (usage-period.ts): rollups have no finer grain.
  const HOUR = 3_600_000;
  const rawTotal = (from: string, to: string) => {
    const start = Math.floor(Date.parse(from) / HOUR) * HOUR;
    const end = Math.ceil(Date.parse(to) / HOUR) * HOUR;
    return events.filter((event) => Date.parse(event.at) >= start && Date.parse(event.at) < end).reduce((sum, event) => sum + event.amount, 0);
  };

  it.each([
    ['whole days', '2026-11-01T00:00:00Z', '2026-11-04T00:00:00Z'],
    ['starting and ending mid-day', '2026-11-01T09:30:00Z', '2026-11-03T18:00:00Z'],
    ['within one day', '2026-11-01T09:00:00Z', '2026-11-01T23:59:59.999Z'],
    ['across one midnight, no whole day', '2026-11-01T12:00:00Z', '2026-11-02T12:00:01Z'],
    ['a single millisecond', '2026-11-02T00:00:00Z', '2026-11-02T00:00:00.001Z'],
  ])('%s: every level totals what the raw events of the hours it overlaps say', async (_case, from, to) => {
    const report = expectOk(await graph.request<Report>(USAGE, { id: organizationId, from, to }, owner.token)).organization;
    const expected = rawTotal(from, to);
    expect(report.creditUsage.total).toBe(expected);
    expect(report.creditUsage.byDay.reduce((sum, day) => sum + day.amount, 0)).toBe(expected);
    expect(report.projects.nodes[0].creditUsage.total).toBe(expected);
    expect(report.projects.nodes[0].environments.reduce((sum, environment) => sum + environment.creditUsage.total, 0)).toBe(expected);
  });

  it('puts each event on its UTC day', async () => {
    const report = expectOk(await graph.request<Report>(USAGE, { id: organizationId, from: '2026-11-01T00:00:00Z', to: '2026-11-04T00:00:00Z' }, owner.token)).organization;
    expect(report.creditUsage.byDay).toEqual([
      { date: '2026-11-01', amount: 7 },
      { date: '2026-11-02', amount: 24 },
      { date: '2026-11-03', amount: 96 },
    ]);
  });

  it('keeps daily rollups that equal the sums of the events, per environment, meter, mode and UTC day', async () => {
    const db = graph.subgraphs.billing.db;
    const [rolled, raw] = await Promise.all([
      db.query(
        `SELECT environment_id, meter, mode, to_char(day, 'YYYY-MM-DD') AS day, quantity::int, amount::int
           FROM usage_daily WHERE organization_id = $1 ORDER BY 1, 2, 3, 4`,
        [organizationId],
      ),
      db.query(
        `SELECT environment_id, meter, mode, to_char((occurred_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, sum(quantity)::int AS quantity, sum(amount)::int AS amount
           FROM usage_events WHERE organization_id = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
        [organizationId],
      ),
    ]);
    expect(rolled).toEqual(raw);
    expect(rolled.reduce((sum: number, row: { amount: number }) => sum + row.amount, 0)).toBe(127);
  });

  it("keeps an organization's rollups per project and per meter and mode, daily and hourly, equal to its events, also as events go", async () => {
    const db = graph.subgraphs.billing.db;
    // A second project, a second meter and SANDBOX usage, on the first project's days.
    const second = await createProject(graph, owner, organizationId);
    await recordUsage(graph, { organizationId, projectId: second.id, environmentId: second.environments[0].id, amount: 0, quantity: 5, mode: 'SANDBOX', meter: 'storage_gb', at: new Date('2026-11-01T09:45:00Z') });
    await recordUsage(graph, { organizationId, projectId: second.id, environmentId: second.environments[1].id, amount: 30, quantity: 3, meter: 'storage_gb', at: new Date('2026-11-02T12:10:00Z') });
    const expectRollupsEqualEvents = async () => {
      for (const [table, columns] of [
        ['usage_project_totals', 'project_id'],
        ['usage_meter_totals', 'meter, mode'],
      ]) {
        for (const [hourly, unit] of [
          [false, 'day'],
          [true, 'hour'],
        ]) {
          const [rolled, raw] = await Promise.all([
            db.query(`SELECT bucket, ${columns}, quantity::int, amount::int FROM ${table} WHERE organization_id = $1 AND hourly = $2 AND quantity <> 0 ORDER BY 1, 2, 3`, [organizationId, hourly]),
            db.query(
              `SELECT date_trunc('${unit}', occurred_at, 'UTC') AS bucket, ${columns}, sum(quantity)::int AS quantity, sum(amount)::int AS amount
                 FROM usage_events WHERE organization_id = $1 GROUP BY 1, ${columns} ORDER BY 1, 2, 3`,
              [organizationId],
            ),
          ]);
          expect({ table, hourly, rows: rolled }).toEqual({ table, hourly, rows: raw });
        }
      }
    };
    await expectRollupsEqualEvents();
    expect((await db.query('SELECT count(*)::int AS n FROM usage_meter_totals WHERE organization_id = $1 AND NOT hourly', [organizationId]))[0].n).toBe(5);
    // An event deleted (by an operator, say) leaves every rollup as if it had never been recorded.
    await db.query("DELETE FROM usage_events WHERE organization_id = $1 AND meter = 'storage_gb' AND mode = 'LIVE'", [organizationId]);
    await expectRollupsEqualEvents();
  });

  it('refuses to change a recorded event or grant, which would leave the rollups wrong', async () => {
    const db = graph.subgraphs.billing.db;
    await expect(db.query('UPDATE usage_events SET amount = amount + 1 WHERE organization_id = $1', [organizationId])).rejects.toThrow(/not changed/);
    await expect(db.query('UPDATE credit_grants SET amount = amount + 1 WHERE organization_id = $1', [organizationId])).rejects.toThrow(/not changed/);
  });
});

describe('Query.meters', () => {
  it("is the deployment's price list, the requests meter at 1 credit unless configured, for any signed-in caller", async () => {
    expect(expectOk(await graph.request<{ meters: unknown }>('{ meters { name description creditsPerUnit } }', {}, owner.token)).meters).toEqual([
      { name: 'requests', description: 'API requests.', creditsPerUnit: 1 },
    ]);
    expect((await graph.request('{ meters { name } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('follows METERS', async () => {
    const priced = await startGraph({ serviceEnv: { billing: { METERS: '[{"name":"requests","creditsPerUnit":2},{"name":"storage_gb","description":"Storage, per GB-day.","creditsPerUnit":10}]' } } });
    try {
      const user = await signUp(priced, 'Price Reader');
      expect(expectOk(await priced.request<{ meters: unknown }>('{ meters { name creditsPerUnit } }', {}, user.token)).meters).toEqual([
        { name: 'requests', creditsPerUnit: 2 },
        { name: 'storage_gb', creditsPerUnit: 10 },
      ]);
    } finally {
      await priced.stop();
    }
  });
});
