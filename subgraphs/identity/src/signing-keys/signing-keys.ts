// The ES256 keys that sign access tokens: created on first start, kept in the database, rotated, published as a JWKS.
import type { DataSource, EntityManager } from 'typeorm';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { newId, TOKEN_ALGORITHM } from '@orgapi/shared';
import type { KeyVault, StoredPrivateKey } from './key-vault';

interface SigningKeyRow {
  id: string;
  public_jwk: JWK;
  private_jwk: StoredPrivateKey;
  created_at: Date;
}

export interface ActiveKey {
  kid: string;
  privateKey: CryptoKey;
}

/** How many keys are published: the signing one and the one before it, whose tokens may not have expired yet. */
const PUBLISHED_KEYS = 2;
const RELOAD_MS = 60_000;
/**
 * A new key is published at once but signs only after every replica has had a reload to publish it too, so no
 * service sees a token whose key its JWKS source does not have yet.
 */
export const SIGNING_DELAY_MS = 2 * RELOAD_MS;

async function createKey(tx: EntityManager, vault: KeyVault): Promise<void> {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  const id = newId('sgk');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: id, alg: TOKEN_ALGORITHM, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid: id, alg: TOKEN_ALGORITHM };
  await tx.query('INSERT INTO signing_keys (id, algorithm, public_jwk, private_jwk) VALUES ($1, $2, $3, $4)', [
    id,
    TOKEN_ALGORITHM,
    publicJwk,
    await vault.seal(id, privateJwk),
  ]);
  // Keys older than the two newest can have signed no token that is still valid.
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
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['identity:signing_keys']);
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

export class SigningKeys {
  active!: ActiveKey;
  jwks!: JSONWebKeySet;
  private localSet!: JWTVerifyGetKey;
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly db: DataSource,
    private readonly rotationDays: number,
    private readonly vault: KeyVault,
  ) {}

  /** Loads the keys, creating or rotating as due, and reloads them every minute to follow other replicas. */
  static async load(db: DataSource, rotationDays: number, vault: KeyVault): Promise<SigningKeys> {
    const keys = new SigningKeys(db, rotationDays, vault);
    await keys.reload();
    keys.timer = setInterval(() => void keys.reload().catch(() => undefined), RELOAD_MS);
    keys.timer.unref();
    return keys;
  }

  async reload(): Promise<void> {
    await ensureSigningKey(this.db, this.rotationDays, this.vault);
    const rows: SigningKeyRow[] = await this.db.query(
      'SELECT id, public_jwk, private_jwk, created_at FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $1',
      [PUBLISHED_KEYS],
    );
    const [newest, previous] = rows;
    const signing = previous && Date.now() - new Date(newest.created_at).getTime() < SIGNING_DELAY_MS ? previous : newest;
    this.active = { kid: signing.id, privateKey: (await importJWK(await this.vault.open(signing.id, signing.private_jwk), TOKEN_ALGORITHM)) as CryptoKey };
    this.jwks = { keys: rows.map((row) => row.public_jwk) };
    this.localSet = createLocalJWKSet(this.jwks);
  }

  /** Resolves verification keys from the current set, which reload() may replace. */
  readonly getKey: JWTVerifyGetKey = (header, token) => this.localSet(header, token);

  stop(): void {
    clearInterval(this.timer);
  }
}
