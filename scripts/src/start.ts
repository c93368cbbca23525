// `npm start`: the whole graph on one machine — embedded PostgreSQL (unless DATABASE_URL), demo data, three
// subgraphs and the gateway as child processes, a crashed one restarted with back-off, stopped in order on Ctrl-C.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { GATEWAY_PORT, identityEndpoints, localGraphQLUrl, organizationsEndpoints, provisionListenerRole, provisionSchemaOwners, SUBGRAPH_NAMES, SUBGRAPHS } from '@orgapi/shared';
import { z } from 'zod';
import { DEMO_METERS, metersEnv } from '@orgapi/billing';
import { afterCrash, DEFAULT_RESTART_POLICY } from './restart-policy';
import { seedDemo, type DemoCredentials } from './seed';

const ROOT = path.resolve(__dirname, '../..');
const env = process.env;
const gatewayPort = Number(env.PORT ?? GATEWAY_PORT);
// Each subgraph at its offset from the gateway's port, so PORT=5000 moves the whole graph to 5000-5003.
const SERVICES = SUBGRAPHS.map(({ name, offset, urlVariable }) => ({ name, urlVariable, entry: `subgraphs/${name}/dist/index.js`, port: gatewayPort + offset }));

/** The launcher's own lines, told apart from the services' logs. */
const say = (line: string) => process.stderr.write(`[npm start] ${line}\n`);

/** Every child by name; a restarted service replaces its crashed process. */
const running = new Map<string, ChildProcess>();
/** Services that became ready once: from then on a crash restarts them instead of stopping everything. */
const started = new Set<string>();
const crashTimes = new Map<string, number[]>();
const pendingRestarts = new Set<NodeJS.Timeout>();
let stopping: Promise<never> | null = null;

interface Ready {
  url: string;
  dataDir?: string;
}

/**
 * V8's young generation, fixed at YOUNG_GENERATION_MB (64; 0 leaves V8's own sizing) per semi-space for every
 * service. Left to itself V8 starts it small, grows and shrinks it, and promotes whatever a request still holds at a
 * scavenge: 82% of organizations' page faults were the scavenger copying into pages it had given back (perf record -e
 * page-faults), and a first touch costs about 17 µs on this machine. Fixed at 64 MB, in alternating runs of the
 * bench's overview at 10 connections: 61.5 and 51.5 -> 38.1 and 39.8 ms of CPU in all (200 projects), 13.7 and 10.5
 * -> 9.0 and 10.1 ms (the demo's size); organizations alone 191 and 179 -> 210 and 204 req/s. 32 MB gained nothing
 * measurable. It costs memory: up to 3 × 64 MB of young generation a process (Docker: docker-compose.yml's commands).
 */
const YOUNG_GENERATION_MB = z.coerce.number().int().min(0).max(1024).parse(env.YOUNG_GENERATION_MB ?? 64);
const youngGeneration = YOUNG_GENERATION_MB > 0 ? [`--min-semi-space-size=${YOUNG_GENERATION_MB}`, `--max-semi-space-size=${YOUNG_GENERATION_MB}`] : [];

/** Forks a child in its own process group (Ctrl-C reaches only the launcher) and waits for its "ready" message. */
function startChild(name: string, entry: string, childEnv: Record<string, string>): Promise<Ready> {
  // PROFILE_DIR=<folder>: every service writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = env.PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(env.PROFILE_DIR)}`, `--cpu-prof-name=${name}.${Date.now()}.cpuprofile`] : [];
  const execArgv = [...youngGeneration, ...profile];
  const child = fork(path.join(ROOT, entry), [], { cwd: ROOT, env: { ...env, ...childEnv }, execArgv, detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  running.set(name, child);
  return new Promise((resolve, reject) => {
    child.once('message', (message: { ready?: boolean } & Ready) => {
      if (!message.ready) return reject(new Error(`${name}: unexpected message`));
      started.add(name);
      resolve(message);
    });
    child.once('exit', (code, signal) => {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      reject(new Error(`${name} exited (${how})`));
      if (stopping) return;
      // The database is not restarted: its server outlives this child, and a second one would find it in the way.
      if (started.has(name) && name !== 'postgres') restartAfterCrash(name, entry, childEnv, how);
      else void shutDown(new Error(`${name} exited (${how})`));
    });
  });
}

/** Restarts a service that crashed after it had started, with back-off; gives up when it keeps crashing. */
function restartAfterCrash(name: string, entry: string, childEnv: Record<string, string>, how: string): void {
  const now = Date.now();
  const times = [...(crashTimes.get(name) ?? []), now];
  crashTimes.set(name, times);
  const decision = afterCrash(times, now, DEFAULT_RESTART_POLICY);
  const window = `${DEFAULT_RESTART_POLICY.windowMs / 1000} s`;
  if (!decision.restart) {
    void shutDown(new Error(`${name} crashed ${decision.recent} times within ${window} (last: ${how}); giving up`));
    return;
  }
  say(`${name} crashed (${how}); restarting it in ${decision.delayMs / 1000} s (crash ${decision.recent} of ${DEFAULT_RESTART_POLICY.maxCrashes} allowed within ${window}).`);
  const timer = setTimeout(() => {
    pendingRestarts.delete(timer);
    // A restart that fails before it is ready is one more crash, which the exit handler has already dealt with.
    startChild(name, entry, childEnv).then(() => say(`${name} restarted.`), () => undefined);
  }, decision.delayMs);
  pendingRestarts.add(timer);
}

function stopChild(name: string): Promise<void> {
  const child = running.get(name);
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      say(`${name} did not stop within 10 s; killing it`);
      child.kill('SIGKILL');
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops the gateway first, then the subgraphs, then the database, so nothing loses its database mid-request. */
function shutDown(reason?: Error): Promise<never> {
  stopping ??= (async () => {
    if (reason) say(`${reason.message}; stopping everything.`);
    else process.stdout.write('\nStopping…\n');
    for (const timer of pendingRestarts) clearTimeout(timer);
    await stopChild('gateway');
    await Promise.all(SUBGRAPH_NAMES.map(stopChild));
    await stopChild('postgres');
    process.exit(reason ? 1 : 0);
  })();
  return stopping;
}

/** Where the emails the services send (verification, password reset) can be read. */
function emailDestination(): string {
  if (!env.SMTP_URL) return 'printed in this terminal, with their links (set SMTP_URL to send them)';
  const smtp = new URL(env.SMTP_URL);
  return `sent through the SMTP server at ${smtp.host} (SMTP_URL)`;
}

function banner(gatewayUrl: string, demo: DemoCredentials | null, embeddedDataDir: string | undefined): string {
  // As root, from a folder the postgres user cannot enter, the data lives outside the clone.
  const dataDir = embeddedDataDir?.startsWith(ROOT + path.sep) ? path.relative(ROOT, embeddedDataDir) : embeddedDataDir;
  const lines = [
    '',
    `  GraphQL gateway   ${gatewayUrl}`,
    `  Explorer          open ${gatewayUrl.replace(/\/graphql$/, '/')} in a browser`,
    `  Subgraphs         ${SERVICES.map((s) => `${s.name} :${s.port}`).join(', ')}`,
    `  Database          ${dataDir ? `embedded PostgreSQL, data in ${dataDir}` : 'DATABASE_URL'}`,
    `  Emails            ${emailDestination()}`,
  ];
  if (demo) {
    lines.push(
      '',
      `  Demo user         ${demo.email}  /  ${demo.password}`,
      `  Organizations     ${demo.organizationSlugs.join(', ')}`,
      '',
      '  Get a token:',
      `    curl -s ${gatewayUrl} -H 'content-type: application/json' \\`,
      `      -d '{"query":"mutation { logIn(input: {email: \\"${demo.email}\\", password: \\"${demo.password}\\"}) { accessToken } }"}'`,
    );
  }
  lines.push('', '  Press Ctrl-C to stop.', '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  process.once('SIGINT', () => void shutDown());
  process.once('SIGTERM', () => void shutDown());

  const embedded = !env.DATABASE_URL;
  let databaseUrl = env.DATABASE_URL ?? '';
  let dataDir: string | undefined;
  if (embedded) {
    process.stdout.write('Starting embedded PostgreSQL…\n');
    ({ url: databaseUrl, dataDir } = await startChild('postgres', 'scripts/dist/embedded-db.js', {
      // EMBEDDED_DATA_DIR: where the data lives (the bench gives a fresh folder); by default .data in the clone.
      EMBEDDED_DATA_DIR: env.EMBEDDED_DATA_DIR ?? path.join(ROOT, '.data/postgres'),
      EMBEDDED_POSTGRES_PORT: env.EMBEDDED_POSTGRES_PORT ?? '54320',
    }));
  }
  // On the embedded database each subgraph gets its own role owning only its schema, as in production. A given
  // DATABASE_URL is used by all three as it is (see `npm run provision-database` to split it).
  const urls = embedded ? await provisionSchemaOwners(databaseUrl, 'orgapi', SUBGRAPH_NAMES) : Object.fromEntries(SUBGRAPH_NAMES.map((s) => [s, databaseUrl]));
  // The gateway listens there for revocations, with a role that may only connect (or the given URL as it is).
  const gatewayListenerUrl = embedded ? await provisionListenerRole(databaseUrl, 'orgapi', 'gateway') : databaseUrl;
  const seed = process.argv.includes('--no-seed') ? false : env.SEED ? env.SEED !== 'false' : embedded;
  // The demo runs on a price list with several meters, unless METERS says otherwise; billing is started with the same.
  const meters = env.METERS ? z.object(metersEnv).parse({ METERS: env.METERS }).METERS : DEMO_METERS;
  const demo = seed ? await seedDemo(urls, meters) : null;

  // The secret the services share: given (the bench passes its own), or new for this run.
  const routerSecret = env.ROUTER_SECRET ?? randomBytes(24).toString('hex');
  const [identity, ...rest] = SERVICES;
  const organizations = SERVICES.find((s) => s.name === 'organizations')!;
  const common = {
    ROUTER_SECRET: routerSecret,
    ...identityEndpoints(identity.port),
    ...organizationsEndpoints(organizations.port),
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  };
  // On the embedded database every connection is direct: listeners and migrations use each subgraph's own role too.
  const database = (name: string) => ({ DATABASE_URL: urls[name], ...(embedded ? { DIRECT_DATABASE_URL: urls[name] } : {}) });
  await startChild(identity.name, identity.entry, { ...common, ...database(identity.name), PORT: String(identity.port) });
  const billing = {
    METERS: JSON.stringify(meters),
    // The demo user may grant credits in the explorer; a real deployment names its operators itself.
    PLATFORM_OPERATORS: env.PLATFORM_OPERATORS ?? (demo ? demo.email : ''),
  };
  await Promise.all(
    rest.map((s) => startChild(s.name, s.entry, { ...common, ...(s.name === 'billing' ? billing : {}), ...database(s.name), PORT: String(s.port) })),
  );
  const gateway = await startChild('gateway', 'gateway/dist/index.js', {
    ...common,
    PORT: String(gatewayPort),
    REVOCATIONS_DATABASE_URL: env.REVOCATIONS_DATABASE_URL ?? gatewayListenerUrl,
    ...Object.fromEntries(SERVICES.map((s) => [s.urlVariable, localGraphQLUrl(s.port)])),
  });
  process.stdout.write(banner(gateway.url.replace('127.0.0.1', 'localhost'), demo, dataDir));
}

main().catch((error: unknown) => void shutDown(error instanceof Error ? error : new Error(String(error))));
