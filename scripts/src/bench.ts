// `npm run bench` (`-- --quick` for a two-minute run): starts the graph on a fresh embedded PostgreSQL, seeds a large
// organization among many others, and measures the overview query through our gateway and through Hive Gateway in
// alternating rounds, each subgraph alone, the usage report at two sizes, usage ingestion, and what one overview
// costs in SQL statements and subgraph requests. It prints Markdown tables, writes bench/results/<date>.json, and
// after a full run keeps the tables in BENCHMARKS.md.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { SUBGRAPHS, ROUTER_SECRET_HEADER, type SubgraphName } from '@orgapi/shared';
import { DEMO_METERS } from '@orgapi/billing';
import { createSecretKey, grantCredits, liveEnvironment, logIn, ok, overviewBody, statementsReconcile } from './bench-client';
import { measure, type Load, type Measurement } from './bench-load';
import { markdown, withLatest, type BenchResults, type OverviewCounts, type OverviewRun, type SubgraphRun } from './bench-report';
import { BENCH_EMAIL, seedBench, verifyBenchSeed, type BenchData, type BenchOrganization, type BenchSeedOptions } from './bench-seed';
import { STACK_LOG, startBenchStack, startHiveGateway, startOurGateway, type BenchStack } from './bench-stack';
import type { ProcessGroups } from './process-cpu';
import { recordSubgraphRequests, type RecordedRequest } from './subgraph-recorder';

const ROOT = path.resolve(__dirname, '../..');
const QUICK = process.argv.includes('--quick');
const env = process.env;
const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

/** What a run measures. The quick one keeps every scenario but measures less of each, on a smaller world. */
const PLAN = {
  seconds: number('BENCH_SECONDS', QUICK ? 3 : 15),
  warmUpSeconds: number('BENCH_WARM_UP_SECONDS', QUICK ? 1.5 : 5),
  rounds: number('BENCH_ROUNDS', QUICK ? 1 : 2),
  connections: env.BENCH_CONNECTIONS ? env.BENCH_CONNECTIONS.split(',').map(Number) : QUICK ? [1, 10] : [1, 10, 50],
  seed: {
    projects: 200,
    members: 100,
    events: 100_000,
    days: 90,
    otherOrganizations: number('BENCH_OTHER_ORGANIZATIONS', QUICK ? 2 : 50),
    smallProjects: 10,
    smallEvents: 10_000,
    demoProjects: 3,
    demoMembers: 5,
    demoEvents: 1_000,
  } satisfies BenchSeedOptions,
};
/** BENCH_ONLY=overview,subgraphs runs just those parts (counts, overview, demo, subgraphs, reports, usage): for iterating on one cost. */
const ONLY = new Set((env.BENCH_ONLY ?? 'counts,overview,demo,subgraphs,reports,usage').split(','));
const PORT = number('BENCH_PORT', 4100);
const PORTS = { hive: PORT + 10, recorded: PORT + 11, baseline: PORT + 12, postgres: number('BENCH_POSTGRES_PORT', 54330) };
/**
 * BENCH_BASELINE=<another checkout, built> adds its gateway to the overview's rounds, over the same subgraphs: a change
 * to the gateway measured against the code before it in one run, as this machine's speed drifts between runs.
 */
const BASELINE = env.BENCH_BASELINE ? path.resolve(env.BENCH_BASELINE) : null;
/** BENCH_SUBGRAPHS_SIZE=demo replays the demo-sized organization's plan to each subgraph alone: its fixed costs per request. */
const SUBGRAPHS_SIZE = env.BENCH_SUBGRAPHS_SIZE === 'demo' ? 'demo' : 'big';
const BATCH_SIZE = 100;
const DAY_MS = 86_400_000;

const REPORT = `query Report($slug: String!, $from: DateTime!, $to: DateTime!) {
  organization(slug: $slug) {
    creditUsage(from: $from, to: $to) {
      total byDay { date amount } byProject { amount project { id } } byMeter { meter quantity amount } byEnvironmentMode { mode amount quantity }
    }
  }
}`;

const say = (line = '') => process.stdout.write(`${line}\n`);

/** The gateway and subgraphs, or Hive and the subgraphs: the processes whose CPU a measurement of one gateway adds up. */
/** The stack's processes, with another gateway in place of ours: Hive Gateway's, or our baseline's under our name. */
function groupsFor(stack: BenchStack, other?: { pid: number; name: 'hive-gateway' | 'gateway' }): ProcessGroups {
  const groups = stack.processes();
  if (other === undefined) return groups;
  const { gateway: _ours, ...rest } = groups;
  return { ...rest, [other.name]: { pids: [other.pid], withChildren: false } };
}

/** Each service's counters at `/metrics`: SQL statements (by schema) and GraphQL requests answered. */
async function readCounters(stack: BenchStack): Promise<{ statements: Record<string, number>; requests: Record<string, number> }> {
  const statements: Record<string, number> = {};
  const requests: Record<string, number> = {};
  for (const { name } of SUBGRAPHS) {
    const text = await fetch(stack.subgraphUrls[name].replace(/\/graphql$/, '/metrics'), { headers: { [ROUTER_SECRET_HEADER]: stack.routerSecret } }).then((r) => r.text());
    statements[name] = 0;
    requests[name] = 0;
    for (const line of text.split('\n')) {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (line.startsWith('db_statements_total{')) statements[name] += value;
      if (line.startsWith('http_request_duration_seconds_count{') && line.includes('path="/graphql"')) requests[name] += value;
    }
  }
  return { statements, requests };
}

const difference = (after: Record<string, number>, before: Record<string, number>) => Object.fromEntries(Object.keys(after).map((name) => [name, after[name] - (before[name] ?? 0)]));

/** SQL statements and subgraph requests of one overview, first with nothing kept (the seed just changed every table), then again. */
async function countOverviews(stack: BenchStack, token: string, organizations: BenchOrganization[], warmUp: BenchOrganization): Promise<OverviewCounts[]> {
  const once = async (slug: string) => {
    const before = await readCounters(stack);
    await ok(stack.gatewayUrl, overviewBody(slug), token);
    const after = await readCounters(stack);
    return { statements: difference(after.statements, before.statements), subgraphRequests: difference(after.requests, before.requests) };
  };
  // A first overview of another organization, not counted: what each process reads once (keys, roles) is not the
  // overview's. The first run counted 17 statements for the small organization that way, and 12 for the big one.
  await once(warmUp.slug);
  const cold = [];
  for (const organization of organizations) cold.push(await once(organization.slug));
  const counts: OverviewCounts[] = [];
  for (const [i, organization] of organizations.entries()) {
    // /metrics counts the services' background work too (relays polling their outboxes): the least of three.
    const warm = [await once(organization.slug), await once(organization.slug), await once(organization.slug)];
    const least = (pick: (count: (typeof warm)[number]) => Record<string, number>) =>
      Object.fromEntries(Object.keys(pick(warm[0])).map((name) => [name, Math.min(...warm.map((count) => pick(count)[name]))]));
    counts.push({ organization: organization.slug, projects: organization.projects, cold: cold[i], warm: { statements: least((c) => c.statements), subgraphRequests: least((c) => c.subgraphRequests) } });
  }
  return counts;
}

/** What our gateway sends each subgraph for one overview, recorded by a second gateway in front of a recorder. */
async function recordOverviewPlan(stack: BenchStack, token: string, slug: string) {
  const recorder = await recordSubgraphRequests(stack.subgraphUrls);
  const gateway = await startOurGateway(stack, PORTS.recorded, recorder.urls);
  try {
    recorder.recorded.length = 0; // the gateway's start-up (composition) is not the overview
    await ok(gateway.url, overviewBody(slug), token);
    return [...recorder.recorded];
  } finally {
    await gateway.stop();
    await recorder.close();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  say(`Starting the graph on a fresh embedded PostgreSQL (ports ${PORT}-${PORT + 3}, PostgreSQL ${PORTS.postgres})…`);
  const stack = await startBenchStack({ port: PORT, postgresPort: PORTS.postgres, platformOperator: BENCH_EMAIL });
  try {
    say(`Seeding ${PLAN.seed.otherOrganizations + 4} organizations…`);
    const data = await seedBench(stack.adminUrl, PLAN.seed, DEMO_METERS);
    await verifyBenchSeed(stack.adminUrl, data.big.id);
    say(`Seeded in ${data.seconds.toFixed(0)} s.`);
    const results = await run(stack, data);
    const table = markdown(results);
    say();
    say(table);
    const file = path.join(ROOT, 'bench/results', `${results.date}${QUICK ? '-quick' : ''}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    say(`\nWrote ${path.relative(ROOT, file)}`);
    if (!QUICK && !env.BENCH_CONNECTIONS && !env.BENCH_SECONDS && !env.BENCH_ONLY) {
      const page = path.join(ROOT, 'BENCHMARKS.md');
      writeFileSync(page, withLatest(readFileSync(page, 'utf8'), table));
      say('Updated the latest tables in BENCHMARKS.md');
    }
    say(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    await stack.stop();
  }
}

async function run(stack: BenchStack, data: BenchData): Promise<BenchResults> {
  const token = await logIn(stack.gatewayUrl, data.email, data.password);
  const headers = { authorization: `Bearer ${token}` };
  const load = (url: string, body: Load['body'], connections = 10, extra: Partial<Load> = {}): Load => ({
    url,
    headers,
    body,
    connections,
    seconds: PLAN.seconds,
    warmUpSeconds: PLAN.warmUpSeconds,
    ...extra,
  });
  const show = (name: string, m: Measurement) =>
    say(
      `${name.padEnd(34)} ${m.throughput.toFixed(0).padStart(6)} req/s  p50 ${m.latency.p50} ms  p99 ${m.latency.p99} ms  errors ${m.errors}  CPU ms: ` +
        Object.entries(m.cpu)
          .map(([group, value]) => `${group} ${value.toFixed(2)}`)
          .join(', '),
    );

  say('Counting statements and subgraph requests per overview…');
  const counts = ONLY.has('counts') ? await countOverviews(stack, token, [data.small, data.big], data.quiet) : [];

  const overview: OverviewRun[] = [];
  const demoOverview: OverviewRun[] = [];
  const overviews = ONLY.has('overview') || ONLY.has('demo');
  const hive = env.BENCH_HIVE === 'false' || !overviews ? null : await startHiveGateway(stack, PORTS.hive);
  const baseline = BASELINE && overviews ? await startOurGateway(stack, PORTS.baseline, stack.subgraphUrls, BASELINE) : null;
  try {
    const sizes = [
      { runs: overview, organization: data.big, label: '' },
      { runs: demoOverview, organization: data.demo, label: ', demo size' },
    ].filter((_, i) => ONLY.has(i === 0 ? 'overview' : 'demo'));
    for (const { runs, organization, label } of sizes) {
      const body = overviewBody(organization.slug);
      for (const connections of PLAN.connections) {
        for (let round = 1; round <= PLAN.rounds; round++) {
          // Alternating on the same subgraphs and data: whatever the machine does meanwhile falls on both.
          const ours = await measure(load(stack.gatewayUrl, body, connections), groupsFor(stack));
          runs.push({ gateway: 'ours', round, ...ours });
          show(`overview${label}, ours, ${connections} conn, #${round}`, ours);
          if (baseline) {
            const before = await measure(load(baseline.url, body, connections), groupsFor(stack, { pid: baseline.pid, name: 'gateway' }));
            runs.push({ gateway: 'baseline', round, ...before });
            show(`overview${label}, baseline, ${connections} conn, #${round}`, before);
          }
          if (!hive) continue;
          const theirs = await measure(load(hive.url, body, connections), groupsFor(stack, { pid: hive.pid, name: 'hive-gateway' }));
          runs.push({ gateway: 'Hive Gateway', round, ...theirs });
          show(`overview${label}, Hive, ${connections} conn, #${round}`, theirs);
        }
      }
    }
  } finally {
    await hive?.stop();
    await baseline?.stop();
  }

  const subgraphs: SubgraphRun[] = [];
  const plan = ONLY.has('subgraphs') ? await recordOverviewPlan(stack, token, data[SUBGRAPHS_SIZE].slug) : [];
  for (const { name } of SUBGRAPHS) {
    const requests = plan.filter((request) => request.subgraph === name);
    if (requests.length === 0) continue;
    let next = 0;
    const measured = await measure(
      { ...load(stack.subgraphUrls[name as SubgraphName], () => requests[next++ % requests.length].body), headers: requests[0].headers },
      stack.processes(),
    );
    const sum = (bytes: (request: RecordedRequest) => number) => requests.reduce((total, request) => total + bytes(request), 0);
    subgraphs.push({ subgraph: name, requestsPerOverview: requests.length, bytesPerOverview: { sent: sum((request) => Buffer.byteLength(request.body)), answered: sum((request) => request.answerBytes) }, ...measured });
    show(`${name} alone`, measured);
  }

  // Each request asks for a period ending at another hour of the last 30 days: nothing kept answers it.
  const reportBody = (slug: string) => () => {
    const to = Date.now() - Math.floor(Math.random() * 720) * 3_600_000;
    return JSON.stringify({ query: REPORT, variables: { slug, from: new Date(to - 30 * DAY_MS), to: new Date(to) } });
  };
  const reports = [];
  for (const organization of ONLY.has('reports') ? [data.small, data.quiet, data.big] : []) {
    const measured = await measure(load(stack.gatewayUrl, reportBody(organization.slug), 1), stack.processes());
    reports.push({ organization: organization.slug, projects: organization.projects, events: organization.events, ...measured });
    show(`report, ${organization.projects} projects, ${organization.events} events`, measured);
  }

  const usage = [];
  const { secret } = ONLY.has('usage') ? await fundUsage(stack, token, data.big) : { secret: '' };
  const event = () => ({ meter: 'requests', quantity: 1, idempotencyKey: randomUUID() });
  const usageRuns = [
    { scenario: 'recordUsage', eventsPerRequest: 1, body: () => JSON.stringify({ query: 'mutation($input: RecordUsageInput!) { recordUsage(input: $input) { __typename } }', variables: { input: event() } }) },
    {
      scenario: `recordUsageBatch (${BATCH_SIZE} events)`,
      eventsPerRequest: BATCH_SIZE,
      body: () => JSON.stringify({ query: 'mutation($input: RecordUsageBatchInput!) { recordUsageBatch(input: $input) { recorded } }', variables: { input: { events: Array.from({ length: BATCH_SIZE }, event) } } }),
    },
  ];
  for (const { scenario, eventsPerRequest, body } of ONLY.has('usage') ? usageRuns : []) {
    const measured = await measure({ ...load(stack.gatewayUrl, body), headers: { authorization: `Bearer ${secret}` } }, stack.processes());
    usage.push({ scenario, eventsPerRequest, eventsPerSecond: measured.throughput * eventsPerRequest, ...measured });
    show(scenario, measured);
  }
  const reconciled = ONLY.has('usage') ? await reconcile(stack, token, data.big) : 'not measured';
  say(reconciled);

  return {
    date: new Date().toISOString().slice(0, 10),
    quick: QUICK,
    command: QUICK ? 'npm run bench -- --quick' : 'npm run bench',
    machine: await machine(stack),
    seed: {
      organizations: PLAN.seed.otherOrganizations + 4,
      projects: data.big.projects,
      environments: data.big.projects * 2,
      members: PLAN.seed.members,
      events: data.big.events,
      otherOrganizations: data.others,
      seconds: data.seconds,
    },
    counts,
    overview,
    demoOverview,
    demo: { projects: data.demo.projects, members: PLAN.seed.demoMembers },
    subgraphs,
    reports,
    usage,
    reconciled,
  };
}

/** A LIVE secret key of the organization's first project, and credits for the run (the bench user is a platform operator). */
async function fundUsage(stack: BenchStack, token: string, organization: BenchOrganization): Promise<{ secret: string }> {
  const live = await liveEnvironment(stack.gatewayUrl, token, organization.slug);
  const { secret } = await createSecretKey(stack.gatewayUrl, token, live.environmentId, 'bench');
  await grantCredits(stack.gatewayUrl, token, organization.id, 1_000_000_000, 'Benchmark credits');
  return { secret };
}

/**
 * Once the requests autocannon left in flight have landed: through the API, the balance adds up and this year's
 * statements chain to it; in SQL, balance = ledger = rollups = raw events (verifyBenchSeed).
 */
async function reconcile(stack: BenchStack, token: string, organization: BenchOrganization): Promise<string> {
  let verdict = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const read = await statementsReconcile(stack.gatewayUrl, token, organization.slug).catch((error: Error) => error);
    // A failed read is the verdict (the results are still written), unless a later attempt succeeds.
    if (read instanceof Error) {
      verdict = `NOT RECONCILED: reading the balance failed: ${read.message} (see ${STACK_LOG})`;
      continue;
    }
    if (!read.reconciled) {
      verdict = `NOT RECONCILED: the balance and this year's statements disagree: ${JSON.stringify(read.balance)}`;
      continue;
    }
    try {
      await verifyBenchSeed(stack.adminUrl, organization.id);
      return `reconciled: balance ${read.balance.available.toLocaleString('en-US')} = ledger = statements = rollups = raw events`;
    } catch (error) {
      verdict = `NOT RECONCILED: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return verdict;
}

async function machine(stack: BenchStack): Promise<BenchResults['machine']> {
  const client = new Client({ connectionString: stack.adminUrl });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  await client.end();
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.versions.node, postgres: rows[0].server_version };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nThe services' log: ${STACK_LOG}\n`);
  process.exit(1);
});
