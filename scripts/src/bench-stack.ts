// The graph a benchmark measures: `npm start` on a fresh embedded PostgreSQL in a folder of its own and on ports of
// its own, so a bench never touches the demo database or a graph already running; plus Hive Gateway, the peer.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { identityEndpoints, localGraphQLUrl, organizationsEndpoints, SUBGRAPHS, type SubgraphName } from '@orgapi/shared';
import { findStackProcesses, type ProcessGroups } from './process-cpu';

const ROOT = path.resolve(__dirname, '../..');
/** Where the bench's graph logs: warnings and errors of every service, kept after the run (in the clone's .data, not a shared /tmp name another user could plant). */
export const STACK_LOG = path.join(ROOT, '.data', 'bench-stack.log');

export interface BenchStack {
  gatewayUrl: string;
  /** Each subgraph's GraphQL endpoint, for calling it directly (with the router secret). */
  subgraphUrls: Record<SubgraphName, string>;
  /** Superuser URL of the graph's database, for seeding and checking. */
  adminUrl: string;
  routerSecret: string;
  /** The processes to read CPU time from: the launcher's descendants. */
  processes(): ProcessGroups;
  /** What a gateway process needs, other than its port and subgraph URLs, to join this graph. */
  gatewayEnv: Record<string, string>;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** The gateway's port; the subgraphs take the next three, as under `npm start`. */
  port: number;
  postgresPort: number;
  /** Who may grant credits: the bench user, so the usage scenario can fund itself. */
  platformOperator: string;
}

async function waitFor(url: string, child: ChildProcess, what: string, ms = 180_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    if (await fetch(url).then((response) => response.ok, () => false)) return;
  }
  throw new Error(`${what} was not ready within ${ms / 1000} s`);
}

function stopped(child: ChildProcess, ms = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `npm start --no-seed` (built already) with NODE_ENV=production, as the Docker image runs, no per-minute
 * cost budget (one user's hundreds of requests a second are what it exists to refuse), and a fresh data folder
 * that `stop()` removes.
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'orgapi-bench-'));
  const routerSecret = randomBytes(24).toString('hex');
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  // What the services log (an internal error's details among it) goes to a file that outlives the run.
  mkdirSync(path.dirname(STACK_LOG), { recursive: true });
  const log = openSync(STACK_LOG, 'w');
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/dist/start.js'), '--no-seed'], {
    cwd: ROOT,
    env: {
      ...inherited,
      NODE_ENV: 'production',
      PORT: String(options.port),
      EMBEDDED_POSTGRES_PORT: String(options.postgresPort),
      EMBEDDED_DATA_DIR: path.join(dataRoot, 'postgres'),
      ROUTER_SECRET: routerSecret,
      COST_PER_MINUTE: '0',
      PLATFORM_OPERATORS: options.platformOperator,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', log, log],
  });
  const stop = async () => {
    await stopped(child);
    rmSync(dataRoot, { recursive: true, force: true });
  };
  try {
    await waitFor(`http://127.0.0.1:${options.port}/healthz`, child, 'npm start');
  } catch (error) {
    await stop();
    throw error;
  }
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map(({ name, offset }) => [name, localGraphQLUrl(options.port + offset)])) as Record<SubgraphName, string>;
  const portOf = (name: SubgraphName) => options.port + SUBGRAPHS.find((s) => s.name === name)!.offset;
  return {
    gatewayUrl: `http://127.0.0.1:${options.port}/graphql`,
    subgraphUrls,
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${options.postgresPort}/orgapi`,
    routerSecret,
    processes: () => findStackProcesses(child.pid!),
    gatewayEnv: {
      ROUTER_SECRET: routerSecret,
      ...identityEndpoints(portOf('identity')),
      ...organizationsEndpoints(portOf('organizations')),
      REVOCATIONS_DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${options.postgresPort}/orgapi`,
      COST_PER_MINUTE: '0',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
    },
    stop,
  };
}

export interface ExtraGateway {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Our gateway, one more process, in front of the given subgraph URLs (the recorder's, to see what the plan sends), as
 * built in `root`: this checkout, or another one to compare with (BENCH_BASELINE).
 */
export async function startOurGateway(stack: BenchStack, port: number, subgraphUrls: Record<SubgraphName, string>, root = ROOT): Promise<ExtraGateway> {
  const urls = Object.fromEntries(SUBGRAPHS.map(({ name, urlVariable }) => [urlVariable, subgraphUrls[name]]));
  const child = spawn(process.execPath, [path.join(root, 'gateway/dist/index.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...stack.gatewayEnv, ...urls, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(`http://127.0.0.1:${port}/healthz`, child, 'gateway', 60_000);
  return { url: `http://127.0.0.1:${port}/graphql`, pid: child.pid!, stop: () => stopped(child) };
}

/**
 * Hive Gateway (`@graphql-hive/gateway` with the Rust query planner of `@graphql-hive/router-runtime`) serving the
 * committed supergraph over the stack's subgraphs, configured as docs/routers.md says, with in-flight deduplication
 * off: ours has none, and with it Hive merged ten identical concurrent overviews into one and looked three times
 * faster than it is.
 */
export async function startHiveGateway(stack: BenchStack, port: number): Promise<ExtraGateway> {
  const urls = Object.fromEntries(SUBGRAPHS.map(({ name, urlVariable }) => [urlVariable, stack.subgraphUrls[name]]));
  const child = spawn(
    process.execPath,
    ['node_modules/@graphql-hive/gateway/dist/bin.js', 'supergraph', '--config-path', 'test/hive/gateway.config.ts', '--hive-router-runtime', '--host', '127.0.0.1', '--port', String(port)],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', OTEL_SDK_DISABLED: 'true', ROUTER_SECRET: stack.routerSecret, DEDUPLICATE_INFLIGHT_REQUESTS: 'false', ...urls },
      stdio: 'ignore',
    },
  );
  await waitFor(`http://127.0.0.1:${port}/readiness`, child, 'hive-gateway', 60_000);
  return { url: `http://127.0.0.1:${port}/graphql`, pid: child.pid!, stop: () => stopped(child) };
}
