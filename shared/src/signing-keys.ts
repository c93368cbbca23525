// A service's ES256 signing keys as this replica holds them: the one that signs, and the set published as a JWKS.
// Identity signs access tokens with its keys, organizations the permission claims other subgraphs check.
import type { DataSource } from 'typeorm';
import { createLocalJWKSet, importJWK, type CryptoKey, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import type { KeyVault, StoredPrivateKey } from './key-vault';
import { sendJson } from './responses';
import type { Route } from './server';
import { ensureSigningKey, PUBLISHED_KEYS, SIGNING_ALGORITHM } from './signing-key-rotation';

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

const RELOAD_MS = 60_000;
/**
 * A new key is published at once but signs only after every replica has had a reload to publish it too, so no
 * service sees a signature whose key its JWKS source does not have yet.
 */
export const SIGNING_DELAY_MS = 2 * RELOAD_MS;

/**
 * How long a service waits for another's JWKS (identity's, organizations'): a fetch happens at start and on a new key
 * ID, never per request, so waiting is cheap and failing is not (every claim or token of the request fails with it).
 */
export const JWKS_TIMEOUT_MS = 30_000;

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
    this.active = { kid: signing.id, privateKey: (await importJWK(await this.vault.open(signing.id, signing.private_jwk), SIGNING_ALGORITHM)) as CryptoKey };
    this.jwks = { keys: rows.map((row) => row.public_jwk) };
    this.localSet = createLocalJWKSet(this.jwks);
  }

  /** Resolves verification keys from the current set, which reload() may replace. */
  readonly getKey: JWTVerifyGetKey = (header, token) => this.localSet(header, token);

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Publishes the keys' public halves at `/.well-known/jwks.json`, for the services that verify what they sign. */
export const jwksRoute =
  (keys: SigningKeys): Route =>
  (_req, res) =>
    sendJson(res, 200, keys.jwks, { 'cache-control': 'public, max-age=60' });
