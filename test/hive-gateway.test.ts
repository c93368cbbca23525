// The subgraphs behind a standard router: Hive Gateway serves the committed supergraph, configured as docs/routers.md says.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  addMember,
  apiAt,
  createOrganization,
  createProject,
  freePort,
  grantCredits,
  OVERVIEW,
  postGraphQL,
  signUp,
  startGraph,
  subgraphUrls,
  type CreatedOrganization,
  type Overview,
  type SignedInUser,
  type TestGraph,
} from './harness';

const root = path.resolve(__dirname, '..');
const CONFIG = 'test/hive/gateway.config.ts';

interface RunningHive {
  url: string;
  stop(): Promise<void>;
}

/** Starts the `hive-gateway` CLI with the committed config file; only environment variables differ per run. */
async function startHive(env: Record<string, string>): Promise<RunningHive> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'node_modules/@graphql-hive/gateway/dist/bin.js'), 'supergraph', '--config-path', CONFIG, '--host', '127.0.0.1', '--port', String(port)],
    { cwd: root, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', OTEL_SDK_DISABLED: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(forced);
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hive-gateway exited with code ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${base}/readiness`).then((response) => response.ok, () => false);
    if (ready) return { url: `${base}/graphql`, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`hive-gateway was not ready within 20 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The test graph with its requests sent to Hive instead of our gateway, so the fixtures work through Hive. */
const through = (graph: TestGraph, hive: RunningHive): TestGraph => ({ ...graph, ...apiAt(hive.url) });

let graph: TestGraph;
let hive: RunningHive;
let viaHive: TestGraph;

beforeAll(async () => {
  graph = await startGraph();
  hive = await startHive({ ROUTER_SECRET: graph.routerSecret, ...subgraphUrls(graph.subgraphs) });
  viaHive = through(graph, hive);
});
afterAll(async () => {
  await hive?.stop();
  await graph?.stop();
});

describe('Hive Gateway in front of the subgraphs', () => {
  let owner: SignedInUser;
  let org: CreatedOrganization;
  const period = { from: '2026-11-01T00:00:00Z', to: '2026-11-04T00:00:00Z' };

  beforeAll(async () => {
    owner = await signUp(viaHive, 'Olivia Owner');
    const viewer = await signUp(viaHive, 'Victor Viewer');
    org = await createOrganization(viaHive, owner, 'Acme Corp');
    await addMember(viaHive, org.id, viewer, 'VIEWER');
    for (const name of ['Checkout', 'Payouts']) await createProject(viaHive, owner, org.id, name);
    await grantCredits(viaHive, org.id, 500);
  });

  it('answers the overview query with data from all three subgraphs, exactly as our gateway does', async () => {
    const response = await viaHive.request<Overview>(OVERVIEW, { slug: org.slug, ...period }, owner.token);
    expect(response.errors).toBeUndefined();
    const organization = response.data!.organization;
    expect(organization).toMatchObject({ viewerRole: 'OWNER', creditBalance: { available: 500 }, creditUsage: { total: 0 } });
    expect(organization.members.totalCount).toBe(2);
    expect(organization.members.nodes.map((m) => [m.role, m.user.email])).toEqual([
      ['OWNER', owner.email],
      ['VIEWER', expect.any(String)],
    ]);
    expect(organization.projects.nodes.map((p) => [p.name, p.environments.map((e) => e.mode), p.creditUsage.total])).toEqual([
      ['Checkout', ['SANDBOX', 'LIVE'], 0],
      ['Payouts', ['SANDBOX', 'LIVE'], 0],
    ]);

    const direct = await graph.request(OVERVIEW, { slug: org.slug, ...period }, owner.token);
    expect(response.data).toEqual(direct.data);
  });

  it('adds no identity of its own: without a token the viewer is UNAUTHENTICATED', async () => {
    const response = await viaHive.request('{ viewer { id } }');
    expect(response.data).toEqual({ viewer: null });
    expect(response.errors?.map((e) => [e.extensions?.serviceName, e.extensions?.code])).toEqual([['identity', 'UNAUTHENTICATED']]);
  });

  it("passes on the client's X-Forwarded-For, so a session records where it was signed in from", async () => {
    const remote = await signUp(viaHive, 'Remote User', { 'x-forwarded-for': '203.0.113.7' });
    const response = await viaHive.request<{ viewer: { sessions: { ipAddress: string }[] } }>('{ viewer { sessions { ipAddress } } }', {}, remote.token);
    expect(response.data?.viewer.sessions).toEqual([{ ipAddress: '203.0.113.7' }]);
  });

  it('leaves token verification to the subgraphs: a forged token gets nothing', async () => {
    const [header, payload] = owner.token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    const response = await viaHive.request(OVERVIEW, { slug: org.slug, ...period }, forged);
    expect(response.data).toEqual({ organization: null });
    expect(response.errors?.map((e) => [e.extensions?.serviceName, e.extensions?.code, e.extensions?.reason])).toEqual([['organizations', 'UNAUTHENTICATED', 'invalid']]);
  });

  it('is configured as docs/routers.md shows', () => {
    const docs = readFileSync(path.join(root, 'docs/routers.md'), 'utf8');
    expect(docs).toContain(readFileSync(path.join(root, CONFIG), 'utf8').trim());
  });
});

describe('Hive Gateway with the wrong router secret', () => {
  it('is refused by the subgraphs', async () => {
    const impostor = await startHive({ ROUTER_SECRET: 'x'.repeat(graph.routerSecret.length), ...subgraphUrls(graph.subgraphs) });
    try {
      const response = await postGraphQL(impostor.url, { query: '{ viewer { id } organization(slug: "acme") { id } }' });
      expect(response.data).toEqual({ viewer: null, organization: null });
      expect(response.errors?.map((e) => [e.extensions?.serviceName, e.extensions?.code]).sort()).toEqual([
        ['identity', 'FORBIDDEN'],
        ['organizations', 'FORBIDDEN'],
      ]);
    } finally {
      await impostor.stop();
    }
  });
});
