// `npm run bench`: load-tests a running gateway (`npm start` in another terminal) with the overview query and a
// light query, and prints throughput and latency. Requests stay on this machine.
import autocannon from 'autocannon';

const GATEWAY_URL = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 5);

const OVERVIEW = `query Overview($slug: String!, $from: DateTime!, $to: DateTime!) {
  organization(slug: $slug) {
    id slug name viewerRole
    members(first: 100) { totalCount nodes { role user { id email name } } }
    projects(first: 100) { totalCount nodes { id name environments { id mode } creditUsage(from: $from, to: $to) { total } } }
    creditBalance { available }
    creditUsage(from: $from, to: $to) { total byDay { date amount } }
  }
}`;

async function graphql(body: unknown, token?: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(GATEWAY_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

async function main(): Promise<void> {
  const email = process.env.BENCH_EMAIL ?? 'ada@acme.example';
  const password = process.env.BENCH_PASSWORD ?? 'demo-password';
  const login = await graphql({ query: 'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }', variables: { input: { email, password } } });
  const token = (login.data?.logIn as { accessToken?: string } | undefined)?.accessToken;
  if (!token) throw new Error(`Could not log in as ${email} at ${GATEWAY_URL}: is \`npm start\` running with the demo data?`);

  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86_400_000);
  const scenarios = [
    { name: 'overview (3 subgraphs)', body: { query: OVERVIEW, variables: { slug: process.env.BENCH_SLUG ?? 'acme', from, to } } },
    { name: 'viewer (identity only)', body: { query: '{ viewer { id email name } }' } },
  ];
  // BENCH_ONLY=overview runs just the scenarios whose name contains it.
  const chosen = scenarios.filter((scenario) => scenario.name.includes(process.env.BENCH_ONLY ?? ''));
  process.stdout.write(`${GATEWAY_URL}: ${CONNECTIONS} connections, ${SECONDS} s per scenario\n\n`);
  for (const scenario of chosen) {
    const sample = await graphql(scenario.body, token);
    if (sample.errors) throw new Error(`${scenario.name} answered with errors: ${JSON.stringify(sample.errors)}`);
    const load = { url: GATEWAY_URL, method: 'POST' as const, connections: CONNECTIONS, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(scenario.body) };
    // A freshly started service is still compiling its hot paths: warm up before measuring.
    await autocannon({ ...load, duration: WARM_UP_SECONDS });
    const result = await autocannon({ ...load, duration: SECONDS });
    process.stdout.write(
      `${scenario.name.padEnd(24)} ${result.requests.average.toFixed(0).padStart(6)} req/s   latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms   ` +
        `errors ${result.errors + result.non2xx}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
