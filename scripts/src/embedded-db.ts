// Child process of `npm start`: runs the embedded PostgreSQL until the launcher stops it or goes away.
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@orgapi/shared';

export const DATABASE_NAME = 'orgapi';

async function main(): Promise<void> {
  const dataDir = process.env.EMBEDDED_DATA_DIR as string;
  const port = Number(process.env.EMBEDDED_POSTGRES_PORT);
  const server = await startEmbeddedPostgres(dataDir, port);
  const client = new Client({ connectionString: server.adminUrl });
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
  if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  await client.end();
  // embedded-postgres stops the server itself on SIGINT/SIGTERM; losing the launcher becomes a SIGTERM.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.send?.({ ready: true, url: server.urlFor(DATABASE_NAME), dataDir: server.dataDir });
}

main().catch((error: unknown) => {
  process.stderr.write(`embedded PostgreSQL failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
