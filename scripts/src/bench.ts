// `npm run bench`: load-tests a running gateway (`npm start` in another terminal) with the overview query, a light
// query and usage recording, and prints throughput, latency and, on Linux, the CPU milliseconds each process
// (gateway, subgraphs, PostgreSQL) spent per request. Requests stay on this machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { cpuMilliseconds, findServiceProcesses, perRequest } from './process-cpu';
import { ROUTER_SECRET_FILE } from './router-secret-file';

const GATEWAY_URL = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 5);
/** Where `npm start` keeps its embedded PostgreSQL: how the bench tells its server from any other on the machine. */
const PG_DATA = process.env.BENCH_PG_DATA ?? path.resolve(__dirname, '../../.data/postgres');
const BATCH_SIZE = 100;

const OVERVIEW = `query Overview($slug: String!, $from: DateTime!, $to: DateTime!) {
  organization(slug: $slug) {
    id slug name viewerRole
    members(first: 100) { totalCount nodes { role user { id email name } } }
    projects(first: 100) { totalCount nodes { id name environments { id mode } creditUsage(from: $from, to: $to) { total } } }
    creditBalance { available }
    creditUsage(from: $from, to: $to) { total byDay { date amount } }
  }
}`;

const RECORD_BATCH = `mutation($input: RecordUsageBatchInput!) { recordUsageBatch(input: $input) { recorded } }`;

async function graphql(body: unknown, token?: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  return post(GATEWAY_URL, body, token);
}

async function post(url: string, body: unknown, token?: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

async function ok<T>(body: unknown, token: string): Promise<T> {
  const answer = await graphql(body, token);
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data as T;
}

/** A batch of 100 `requests` events, each with a fresh idempotency key. */
const batchBody = () =>
  JSON.stringify({
    query: RECORD_BATCH,
    variables: { input: { events: Array.from({ length: BATCH_SIZE }, () => ({ meter: 'requests', quantity: 1, idempotencyKey: randomUUID() })) } },
  });

interface Scenario {
  name: string;
  body: string;
  token: string;
  /** Where to send it: our gateway unless said otherwise. */
  url?: string;
  /** Events per request, for the events-per-second line. */
  events?: number;
  /** A new body per request (fresh idempotency keys). */
  fresh?: () => string;
}

const ROOT = path.resolve(__dirname, '../..');
const HIVE_PORT = Number(process.env.BENCH_HIVE_PORT ?? 4010);

/**
 * Hive Gateway (`@graphql-hive/gateway` with the Rust query planner of `@graphql-hive/router-runtime`) serving the
 * committed supergraph over the running subgraphs, configured as docs/routers.md says: the peer our gateway is
 * measured against. Needs the graph's router secret (ROUTER_SECRET, or the file `npm start` leaves); null without it.
 */
async function startHive(): Promise<{ url: string; pid: number; stop: () => void } | null> {
  const secret = process.env.ROUTER_SECRET ?? (existsSync(ROUTER_SECRET_FILE) ? readFileSync(ROUTER_SECRET_FILE, 'utf8').trim() : '');
  if (!secret || process.env.BENCH_HIVE === 'false') return null;
  const child: ChildProcess = spawn(
    process.execPath,
    ['node_modules/@graphql-hive/gateway/dist/bin.js', 'supergraph', '--config-path', 'test/hive/gateway.config.ts', '--hive-router-runtime', '--host', '127.0.0.1', '--port', String(HIVE_PORT)],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', OTEL_SDK_DISABLED: 'true', ROUTER_SECRET: secret, DEDUPLICATE_INFLIGHT_REQUESTS: 'false' }, stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${HIVE_PORT}`;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
    if (child.exitCode !== null) throw new Error(`hive-gateway exited with code ${child.exitCode}`);
    if (await fetch(`${base}/readiness`).then((response) => response.ok, () => false)) return { url: `${base}/graphql`, pid: child.pid!, stop: () => child.kill('SIGTERM') };
  }
  child.kill('SIGKILL');
  throw new Error('hive-gateway was not ready within 30 s');
}

/** The demo organization's LIVE secret key, and credits enough for the run (the demo user is a platform operator under `npm start`). */
async function usageScenario(token: string, slug: string): Promise<Scenario> {
  const { organization } = await ok<{ organization: { id: string; projects: { nodes: { environments: { id: string; mode: string }[] }[] } } }>(
    { query: 'query($slug: String!) { organization(slug: $slug) { id projects(first: 1) { nodes { environments { id mode } } } } }', variables: { slug } },
    token,
  );
  const live = organization.projects.nodes[0].environments.find((environment) => environment.mode === 'LIVE')!;
  const key = await ok<{ createApiKey: { secret: string } }>(
    { query: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', variables: { input: { environmentId: live.id, kind: 'SECRET', name: `bench ${new Date().toISOString()}` } } },
    token,
  );
  await ok(
    {
      query: 'mutation($input: GrantCreditsInput!) { grantCredits(input: $input) { id } }',
      variables: { input: { organizationId: organization.id, amount: 100_000_000, category: 'PROMOTIONAL', description: 'Benchmark credits' } },
    },
    token,
  );
  return { name: `recordUsageBatch (${BATCH_SIZE} events)`, body: batchBody(), fresh: batchBody, token: key.createApiKey.secret, events: BATCH_SIZE };
}

/** Balance, and the statements that must reconcile with it: every month's closing is the next one's opening, the last one's is the balance. */
async function reconciled(token: string, slug: string): Promise<string> {
  const year = new Date().getUTCFullYear();
  const { organization } = await ok<{
    organization: { billing: { balance: { available: number; granted: number; used: number; expired: number; adjusted: number }; statements: { openingBalance: number; closingBalance: number }[] } };
  }>(
    {
      query: 'query($slug: String!, $year: Int!) { organization(slug: $slug) { billing { balance { available granted used expired adjusted } statements(year: $year) { openingBalance closingBalance } } } }',
      variables: { slug, year },
    },
    token,
  );
  const { balance, statements } = organization.billing;
  const chained = statements.every((statement, i) => i === 0 || statement.openingBalance === statements[i - 1].closingBalance);
  const adds = balance.available === balance.granted + balance.adjusted - balance.used - balance.expired;
  const closes = statements.at(-1)?.closingBalance === balance.available;
  return chained && adds && closes ? `reconciled: balance ${balance.available} = ledger = statements` : `NOT RECONCILED: ${JSON.stringify(organization.billing)}`;
}

async function main(): Promise<void> {
  const email = process.env.BENCH_EMAIL ?? 'ada@acme.example';
  const password = process.env.BENCH_PASSWORD ?? 'demo-password';
  const slug = process.env.BENCH_SLUG ?? 'acme';
  const login = await graphql({ query: 'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }', variables: { input: { email, password } } });
  const token = (login.data?.logIn as { accessToken?: string } | undefined)?.accessToken;
  if (!token) throw new Error(`Could not log in as ${email} at ${GATEWAY_URL}: is \`npm start\` running with the demo data?`);

  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86_400_000);
  const only = process.env.BENCH_ONLY ?? '';
  const overview = JSON.stringify({ query: OVERVIEW, variables: { slug, from, to } });
  const hive = only === '' || 'Hive Gateway'.includes(only) || 'overview'.includes(only) ? await startHive() : null;
  // With the peer, rounds alternate ours and Hive's on the same subgraphs and data (BENCH_ROUNDS, 2): whatever the
  // machine does meanwhile falls on both.
  const rounds = hive ? Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2)) : 1;
  const scenarios: Scenario[] = [
    ...Array.from({ length: rounds }, (_, round): Scenario[] => {
      const suffix = rounds > 1 ? ` #${round + 1}` : '';
      return [
        { name: `overview (3 subgraphs)${suffix}`, body: overview, token },
        ...(hive ? [{ name: `overview via Hive Gateway${suffix}`, body: overview, token, url: hive.url }] : []),
      ];
    }).flat(),
    { name: 'viewer (identity only)', body: JSON.stringify({ query: '{ viewer { id email name } }' }), token },
  ];
  if (!hive) process.stdout.write('(Hive Gateway skipped: no router secret; start the graph with `npm start`, or set ROUTER_SECRET)\n');
  // BENCH_ONLY=overview runs just the scenarios whose name contains it.
  if ('recordUsageBatch'.includes(only) || only === '') scenarios.push(await usageScenario(token, slug));
  const chosen = scenarios.filter((scenario) => scenario.name.includes(only));
  process.stdout.write(`${GATEWAY_URL}: ${CONNECTIONS} connections, ${SECONDS} s per scenario\n\n`);
  try {
    for (const scenario of chosen) await run(scenario, hive?.pid);
  } finally {
    hive?.stop();
  }
  for (const scenario of chosen.filter((s) => s.events)) {
    // autocannon stops at the deadline with requests still in flight: let them land before reading the ledger.
    let verdict = '';
    for (let attempt = 0; attempt < 5 && !verdict.startsWith('reconciled'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      verdict = await reconciled(token, slug);
    }
    process.stdout.write(`\nafter ${scenario.name}: ${verdict}\n`);
  }
}

/** Warms up, measures, and prints one scenario; `hivePid` adds Hive Gateway's process to the CPU lines. */
async function run(scenario: Scenario, hivePid: number | undefined): Promise<void> {
  const url = scenario.url ?? GATEWAY_URL;
  const sample = await post(url, JSON.parse(scenario.fresh ? scenario.fresh() : scenario.body), scenario.token);
  if (sample.errors) throw new Error(`${scenario.name} answered with errors: ${JSON.stringify(sample.errors)}`);
  const load = {
    url,
    method: 'POST' as const,
    connections: CONNECTIONS,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${scenario.token}` },
    body: scenario.body,
    ...(scenario.fresh ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: scenario.fresh!() }) }] } : {}),
  };
  // A freshly started service is still compiling its hot paths: warm up before measuring.
  await autocannon({ ...load, duration: WARM_UP_SECONDS });
  const processes = findServiceProcesses(PG_DATA);
  if (hivePid) processes['hive-gateway'] = { pids: [hivePid], withChildren: false };
  const before = cpuMilliseconds(processes);
  const result = await autocannon({ ...load, duration: SECONDS });
  const cpu = perRequest(before, cpuMilliseconds(processes), result.requests.total);
  const events = scenario.events ? `   ${(result.requests.average * scenario.events).toFixed(0)} events/s` : '';
  process.stdout.write(
    `${scenario.name.padEnd(30)} ${result.requests.average.toFixed(0).padStart(6)} req/s   latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms   ` +
      `errors ${result.errors + result.non2xx}${events}\n`,
  );
  if (Object.keys(cpu).length > 0) {
    const line = Object.entries(cpu)
      .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
      .join(', ');
    process.stdout.write(`${''.padEnd(30)} CPU ms per request: ${line}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
