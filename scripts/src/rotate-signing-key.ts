// `npm run rotate-signing-key`: creates a new access-token signing key now (e.g. after a suspected leak). The
// previous key stays published, so tokens it signed keep working until they expire; every identity replica starts
// signing with the new key within a minute.
import { openDatabase } from '@orgapi/shared';
import { ensureSigningKey, identitySubgraph, KeyVault } from '@orgapi/identity';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to the database the identity service uses.');
  const db = await openDatabase({ ...identitySubgraph.database, url, poolSize: 1 });
  try {
    await ensureSigningKey(db, 0, new KeyVault(process.env.SIGNING_KEY_SECRET), true);
    const [key] = await db.query('SELECT id FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1');
    process.stdout.write(`New signing key ${key.id}; the previous key stays published until the next rotation.\n`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
