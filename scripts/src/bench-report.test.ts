// The bench's report: BENCHMARKS.md keeps only the latest tables between its markers, and the tables say what was run.
import { LATEST_END, LATEST_START, markdown, withLatest, type BenchResults } from './bench-report';

const measurement = { connections: 10, requests: 5_000, throughput: 500, latency: { p50: 18, p90: 25, p99: 39, max: 60 }, errors: 0 };

const results: BenchResults = {
  date: '2026-12-02',
  quick: false,
  command: 'npm run bench',
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 24, node: '20.20.2', postgres: '17.6' },
  seed: { organizations: 52, projects: 200, environments: 400, members: 100, events: 100_000, otherOrganizations: 50, seconds: 95 },
  counts: [
    {
      organization: 'small',
      projects: 10,
      cold: { statements: { identity: 2, organizations: 6, billing: 4 }, subgraphRequests: { identity: 1, organizations: 1, billing: 1 } },
      warm: { statements: { identity: 2, organizations: 0, billing: 0 }, subgraphRequests: { identity: 1, organizations: 1, billing: 1 } },
    },
  ],
  overview: [
    { gateway: 'ours', round: 1, ...measurement, cpu: { gateway: 0.8, identity: 0.4, organizations: 0.6, billing: 0.5, postgres: 0.3, total: 2.6 } },
    { gateway: 'Hive Gateway', round: 1, ...measurement, throughput: 400, cpu: { 'hive-gateway': 2.1, identity: 0.4, organizations: 0.6, billing: 0.5, postgres: 0.3, total: 3.9 } },
  ],
  subgraphs: [
    { subgraph: 'billing', requestsPerOverview: 1, bytesPerOverview: { sent: 80_400, answered: 12_600 }, ...measurement, cpu: { billing: 0.45, postgres: 0.1 } },
    { subgraph: 'identity', requestsPerOverview: 1, ...measurement, cpu: { identity: 0.3, postgres: 0.1 } },
  ],
  reports: [{ organization: 'big', projects: 200, events: 100_000, ...measurement, connections: 1, cpu: { billing: 1.2, postgres: 0.9 } }],
  usage: [{ scenario: 'recordUsageBatch (100 events)', eventsPerRequest: 100, eventsPerSecond: 12_000, ...measurement, throughput: 120, cpu: { gateway: 1.3, billing: 3.5, postgres: 5.5 } }],
  reconciled: 'reconciled: balance 1 = ledger',
};

describe('the bench report', () => {
  it('puts each gateway’s run in one row, with its own process as the gateway’s CPU', () => {
    const table = markdown(results);
    expect(table).toContain('| ours | 10 | 1 | 500 | 18 / 39 / 60 | 0 | 0.80 | 0.40 | 0.60 | 0.50 | 0.30 | 2.60 |');
    expect(table).toContain('| Hive Gateway | 10 | 1 | 400 | 18 / 39 / 60 | 0 | 2.10 |');
  });

  it('shows the overview at the demo’s size in a table of its own, only when it was measured', () => {
    const demoOverview = [{ gateway: 'ours' as const, round: 1, ...measurement, throughput: 900, cpu: { gateway: 0.5, identity: 0.2, organizations: 0.3, billing: 0.3, postgres: 0.2, total: 1.5 } }];
    const table = markdown({ ...results, demoOverview, demo: { projects: 3, members: 5 } });
    const [, demoPart] = table.split("**Overview query at the demo's size** (3 projects, 5 members");
    expect(demoPart).toContain('| ours | 10 | 1 | 900 | 18 / 39 / 60 | 0 | 0.50 | 0.20 | 0.30 | 0.30 | 0.20 | 1.50 |');
    expect(markdown(results)).not.toContain("demo's size");
  });

  it('shows each subgraph alone with the bytes the plan sends it and it answers, n/a where a run did not record them', () => {
    const table = markdown(results);
    expect(table).toContain('| billing | 1 | 80 / 13 | 500 | 18 / 39 | 0.45 | 0.10 |');
    expect(table).toContain('| identity | 1 | n/a / n/a | 500 |');
  });

  it('shows counts per service with their sum, cold and again', () => {
    expect(markdown(results)).toContain('| small | 10 | identity 2, organizations 6, billing 4 (12) | identity 1, organizations 1, billing 1 (3) | identity 2, organizations 0, billing 0 (2) |');
  });

  it('names the data, the machine and the command', () => {
    const table = markdown(results);
    expect(table).toContain('`npm run bench` on 2 cores (Test CPU)');
    expect(table).toContain('200 projects, 400 environments, 100 members and 100,000 usage events');
    expect(table).toContain('12,000');
  });

  it('replaces only what is between the markers', () => {
    const page = `# Benchmarks\n\nintro\n\n${LATEST_START}\nold table\n${LATEST_END}\n\n## History\nkept\n`;
    const updated = withLatest(page, 'new table');
    expect(updated).toBe(`# Benchmarks\n\nintro\n\n${LATEST_START}\nnew table\n${LATEST_END}\n\n## History\nkept\n`);
    expect(withLatest(updated, 'newer')).not.toContain('new table\n');
  });

  it('adds the markers to a page that has none', () => {
    expect(withLatest('# Benchmarks\n', 'table')).toBe(`# Benchmarks\n\n## Latest\n\n${LATEST_START}\ntable\n${LATEST_END}\n`);
  });
});
