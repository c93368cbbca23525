// `npm start`: the whole graph on one machine — embedded PostgreSQL (unless DATABASE_URL), demo data, three
// subgraphs and the gateway as child processes, stopped in order on Ctrl-C.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { GATEWAY_PORT, identityEndpoints, localGraphQLUrl, organizationsEndpoints, provisionSchemaOwners, SUBGRAPH_NAMES, SUBGRAPHS } from '@orgapi/shared';
import { seedDemo, type DemoCredentials } from './seed';

const ROOT = path.resolve(__dirname, '../..');
const env = process.env;
const gatewayPort = Number(env.PORT ?? GATEWAY_PORT);
// Each subgraph at its offset from the gateway's port, so PORT=5000 moves the whole graph to 5000-5003.
const SERVICES = SUBGRAPHS.map(({ name, offset, urlVariable }) => ({ name, urlVariable, entry: `subgraphs/${name}/dist/index.js`, port: gatewayPort + offset }));

interface Child {
  name: string;
  process: ChildProcess;
}
const running: Child[] = [];
let stopping = false;

/** Forks a child in its own process group (Ctrl-C reaches only the launcher) and waits for its "ready" message. */
function startChild(name: string, entry: string, childEnv: Record<string, string>): Promise<{ url: string; dataDir?: string }> {
  const child = fork(path.join(ROOT, entry), [], { cwd: ROOT, env: { ...env, ...childEnv }, detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  running.push({ name, process: child });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { ready?: boolean; url: string; dataDir?: string }) => (message.ready ? resolve(message) : reject(new Error(`${name}: unexpected message`))));
    child.once('exit', (code, signal) => {
      const reason = new Error(`${name} exited (${signal ?? `code ${code}`})`);
      reject(reason);
      if (!stopping) void shutDown(reason);
    });
  });
}

function stopChild({ name, process: child }: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      process.stderr.write(`${name} did not stop within 10 s; killing it\n`);
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
async function shutDown(reason?: Error): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (reason) process.stderr.write(`\n${reason.message}; stopping everything.\n`);
    else process.stdout.write('\nStopping…\n');
    const byName = (names: readonly string[]) => running.filter((child) => names.includes(child.name));
    await Promise.all(byName(['gateway']).map(stopChild));
    await Promise.all(byName(SUBGRAPH_NAMES).map(stopChild));
    await Promise.all(byName(['postgres']).map(stopChild));
  }
  process.exit(reason ? 1 : 0);
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
      EMBEDDED_DATA_DIR: path.join(ROOT, '.data/postgres'),
      EMBEDDED_POSTGRES_PORT: env.EMBEDDED_POSTGRES_PORT ?? '54320',
    }));
  }
  // On the embedded database each subgraph gets its own role owning only its schema, as in production. A given
  // DATABASE_URL is used by all three as it is (see `npm run provision-database` to split it).
  const urls = embedded ? await provisionSchemaOwners(databaseUrl, 'orgapi', SUBGRAPH_NAMES) : Object.fromEntries(SUBGRAPH_NAMES.map((s) => [s, databaseUrl]));
  const seed = process.argv.includes('--no-seed') ? false : env.SEED ? env.SEED !== 'false' : embedded;
  const demo = seed ? await seedDemo(urls) : null;

  const [identity, ...rest] = SERVICES;
  const organizations = SERVICES.find((s) => s.name === 'organizations')!;
  const common = {
    ROUTER_SECRET: env.ROUTER_SECRET ?? randomBytes(24).toString('hex'),
    ...identityEndpoints(identity.port),
    ...organizationsEndpoints(organizations.port),
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  };
  await startChild(identity.name, identity.entry, { ...common, DATABASE_URL: urls[identity.name], PORT: String(identity.port) });
  await Promise.all(rest.map((s) => startChild(s.name, s.entry, { ...common, DATABASE_URL: urls[s.name], PORT: String(s.port) })));
  const gateway = await startChild('gateway', 'gateway/dist/index.js', {
    ...common,
    PORT: String(gatewayPort),
    ...Object.fromEntries(SERVICES.map((s) => [s.urlVariable, localGraphQLUrl(s.port)])),
  });
  process.stdout.write(banner(gateway.url.replace('127.0.0.1', 'localhost'), demo, dataDir));
}

main().catch((error: unknown) => void shutDown(error instanceof Error ? error : new Error(String(error))));
