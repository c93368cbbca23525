// Rotating a service's signing keys (its own `signing_keys` table): the first key on first start, a new one when the
// newest is due (or forced), one replica at a time; keys too old to have signed anything still valid are retired.
import type { DataSource, EntityManager } from 'typeorm';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { newId } from './ids';
import type { KeyVault } from './key-vault';

/** Every signing key is ES256: verifiers pin this algorithm. */
export const SIGNING_ALGORITHM = 'ES256';

/** How many keys are published: the signing one and the one before it, whose signatures may not have expired yet. */
export const PUBLISHED_KEYS = 2;

async function createKey(tx: EntityManager, vault: KeyVault): Promise<void> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const id = newId('sgk');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: id, alg: SIGNING_ALGORITHM, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid: id, alg: SIGNING_ALGORITHM };
  await tx.query('INSERT INTO signing_keys (id, algorithm, public_jwk, private_jwk) VALUES ($1, $2, $3, $4)', [
    id,
    SIGNING_ALGORITHM,
    publicJwk,
    await vault.seal(id, privateJwk),
  ]);
  // Keys older than the two newest can have signed nothing that is still valid.
  await tx.query(
    `UPDATE signing_keys SET retired_at = now()
      WHERE retired_at IS NULL AND id NOT IN (SELECT id FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $1)`,
    [PUBLISHED_KEYS],
  );
}

/**
 * Makes sure a current key exists: the first start creates one, and a key older than `rotationDays` is replaced
 * (or any key, when `force`). One replica at a time.
 */
export async function ensureSigningKey(db: DataSource, rotationDays: number, vault: KeyVault, force = false): Promise<void> {
  await db.transaction(async (tx) => {
    // Per schema, so each service rotates its own keys (identity's lock is `identity:signing_keys`, as it always was).
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':signing_keys'))`);
    const [newest] = await tx.query(
      `SELECT created_at <= now() - make_interval(days => $1) AS due FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1`,
      [rotationDays],
    );
    if (!newest || newest.due || force) await createKey(tx, vault);
    if (vault.encrypts) {
      // Keys stored before a secret was configured are encrypted now.
      const plain: { id: string; private_jwk: JWK }[] = await tx.query(`SELECT id, private_jwk FROM signing_keys WHERE NOT private_jwk ? 'jwe'`);
      for (const row of plain) await tx.query('UPDATE signing_keys SET private_jwk = $2 WHERE id = $1', [row.id, await vault.seal(row.id, row.private_jwk)]);
    }
  });
}
