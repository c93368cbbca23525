// A bench run's results: the JSON kept in bench/results/, and the Markdown tables printed and kept in BENCHMARKS.md.
import type { Measurement } from './bench-load';

export interface OverviewRun extends Measurement {
  /** `baseline`: our gateway as built in another checkout (BENCH_BASELINE), over the same subgraphs. */
  gateway: 'ours' | 'Hive Gateway' | 'baseline';
  round: number;
}

export interface SubgraphRun extends Measurement {
  subgraph: string;
  /** Requests the gateway sends this subgraph per overview: its CPU per overview is `cpu[subgraph]` times this. */
  requestsPerOverview: number;
  /** Bytes of the requests' bodies the gateway sends this subgraph per overview, and of its answers (absent before 2026-12-02). */
  bytesPerOverview?: { sent: number; answered: number };
}

export interface OverviewCounts {
  organization: string;
  projects: number;
  /** The first overview after the data changed: nothing kept. */
  cold: { statements: Record<string, number>; subgraphRequests: Record<string, number> };
  /** Asked again with nothing changed. */
  warm: { statements: Record<string, number>; subgraphRequests: Record<string, number> };
}

export interface ReportRun extends Measurement {
  organization: string;
  projects: number;
  events: number;
}

export interface UsageRun extends Measurement {
  scenario: string;
  eventsPerRequest: number;
  eventsPerSecond: number;
}

export interface BenchResults {
  date: string;
  quick: boolean;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; postgres: string };
  seed: { organizations: number; projects: number; environments: number; members: number; events: number; otherOrganizations: number; seconds: number };
  counts: OverviewCounts[];
  overview: OverviewRun[];
  /** The overview of an organization of the demo's size (3 projects, 5 members), where the issue's targets were set (absent before 2026-12-02). */
  demoOverview?: OverviewRun[];
  demo?: { projects: number; members: number };
  subgraphs: SubgraphRun[];
  reports: ReportRun[];
  usage: UsageRun[];
  reconciled: string;
}

const ms = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(1));
const cpu = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(2));
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
const kilobytes = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : (bytes / 1000).toFixed(0));
const sum = (values: Record<string, number>) => Object.values(values).reduce((total, n) => total + n, 0);
const listed = (values: Record<string, number>) =>
  `${Object.entries(values)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ')} (${sum(values)})`;

function overviewTable(runs: OverviewRun[]): string[] {
  return [
    '| gateway | connections | round | req/s | p50 / p99 / max ms | errors | CPU ms: gateway | identity | organizations | billing | PostgreSQL | total |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(
      (run) =>
        `| ${run.gateway} | ${run.connections} | ${run.round} | ${thousands(run.throughput)} | ${ms(run.latency.p50)} / ${ms(run.latency.p99)} / ${ms(run.latency.max)} | ${run.errors} | ` +
        `${cpu(run.cpu.gateway ?? run.cpu['hive-gateway'])} | ${cpu(run.cpu.identity)} | ${cpu(run.cpu.organizations)} | ${cpu(run.cpu.billing)} | ${cpu(run.cpu.postgres)} | ${cpu(run.cpu.total)} |`,
    ),
  ];
}

/** The Markdown tables of a run: what `npm run bench` prints and what BENCHMARKS.md keeps between its markers. */
export function markdown(results: BenchResults): string {
  const { seed } = results;
  const lines = [
    `Measured ${results.date} with \`${results.command}\` on ${results.machine.cpus} cores (${results.machine.cpuModel}), ${results.machine.memoryGiB} GiB, Node.js ${results.machine.node}, PostgreSQL ${results.machine.postgres}; the load generator shares the cores.`,
    `Data: the measured organization has ${seed.projects} projects, ${seed.environments} environments, ${seed.members} members and ${thousands(seed.events)} usage events over 90 days, among ${seed.otherOrganizations} other organizations of the same size (seeded in ${seed.seconds.toFixed(0)} s).`,
    '',
    '**Overview query** (first 100 projects and members, last 30 days). CPU ms per request: each process, and all of them with PostgreSQL.',
    '',
    ...overviewTable(results.overview),
    '',
    ...(results.demoOverview?.length && results.demo
      ? [
          `**Overview query at the demo's size** (${results.demo.projects} projects, ${results.demo.members} members: the size the performance issue's targets were set on), same query and columns:`,
          '',
          ...overviewTable(results.demoOverview),
          '',
        ]
      : []),
    "**Each subgraph alone**, sent the requests our gateway's plan sends it for one overview (recorded, then replayed directly with the router secret), 10 connections:",
    '',
    '| subgraph | requests per overview | KB sent / answered | req/s | p50 / p99 ms | CPU ms per request: subgraph | PostgreSQL |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...results.subgraphs.map(
      (run) => `| ${run.subgraph} | ${run.requestsPerOverview} | ${kilobytes(run.bytesPerOverview?.sent)} / ${kilobytes(run.bytesPerOverview?.answered)} | ${thousands(run.throughput)} | ${ms(run.latency.p50)} / ${ms(run.latency.p99)} | ${cpu(run.cpu[run.subgraph])} | ${cpu(run.cpu.postgres)} |`,
    ),
    '',
    '**Counts per overview** (read from each service\'s `/metrics`): SQL statements and subgraph requests, by service.',
    '',
    '| organization | projects | cold: SQL statements | cold: subgraph requests | again: SQL statements | again: subgraph requests |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.counts.map(
      (count) =>
        `| ${count.organization} | ${count.projects} | ${listed(count.cold.statements)} | ${listed(count.cold.subgraphRequests)} | ${listed(count.warm.statements)} | ${listed(count.warm.subgraphRequests)} |`,
    ),
    '',
    '**Usage report** (`creditUsage` with `total`, `byDay`, `byProject`, `byMeter`, `byEnvironmentMode` over 30 days, each request a period no cache has seen), 1 connection:',
    '',
    '| organization | projects | usage events | req/s | p50 / p99 ms | CPU ms: billing | PostgreSQL |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...results.reports.map(
      (run) => `| ${run.organization} | ${run.projects} | ${thousands(run.events)} | ${thousands(run.throughput)} | ${ms(run.latency.p50)} / ${ms(run.latency.p99)} | ${cpu(run.cpu.billing)} | ${cpu(run.cpu.postgres)} |`,
    ),
    '',
    '**Usage ingestion** with a LIVE secret key, fresh idempotency keys:',
    '',
    '| scenario | connections | req/s | events/s | p50 / p99 ms | errors | CPU ms per request: gateway | billing | PostgreSQL |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.usage.map(
      (run) =>
        `| ${run.scenario} | ${run.connections} | ${thousands(run.throughput)} | ${thousands(run.eventsPerSecond)} | ${ms(run.latency.p50)} / ${ms(run.latency.p99)} | ${run.errors} | ${cpu(run.cpu.gateway)} | ${cpu(run.cpu.billing)} | ${cpu(run.cpu.postgres)} |`,
    ),
    '',
    `After ingestion: ${results.reconciled}.`,
  ];
  return lines.join('\n');
}

export const LATEST_START = '<!-- bench:latest -->';
export const LATEST_END = '<!-- /bench:latest -->';

/** `page` with the text between its markers replaced by `table`; the markers are added at the end if missing. */
export function withLatest(page: string, table: string): string {
  const start = page.indexOf(LATEST_START);
  const end = page.indexOf(LATEST_END);
  const block = `${LATEST_START}\n${table}\n${LATEST_END}`;
  if (start === -1 || end < start) return `${page.trimEnd()}\n\n## Latest\n\n${block}\n`;
  return page.slice(0, start) + block + page.slice(end + LATEST_END.length);
}
