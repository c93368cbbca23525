// Stops the embedded test database and removes its folder (and its stand-in data folder, if it ran as root elsewhere).
import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.embeddedTestDatabase;
  if (!embedded) return;
  await embedded.server.stop();
  await rm(embedded.dir, { recursive: true, force: true });
  await rm(embedded.server.dataDir, { recursive: true, force: true });
}
