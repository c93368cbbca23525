// Gives the test run a real PostgreSQL server: TEST_DATABASE_URL when set, else an embedded one in a temp folder.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../shared/src/embedded-postgres';
import { freePort } from './ports';

declare global {
  var embeddedTestDatabase: { server: EmbeddedDatabase; dir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    process.env.ORGAPI_TEST_ADMIN_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'orgapi-test-'));
  const server = await startEmbeddedPostgres(path.join(dir, 'pg'), await freePort()).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  globalThis.embeddedTestDatabase = { server, dir };
  process.env.ORGAPI_TEST_ADMIN_URL = server.adminUrl;
}
