// The ES256 keys that sign access tokens: created on first start, kept in the database, published as a JWKS.
import type { DataSource } from 'typeorm';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import { CredentialVerifier, newId, TOKEN_ALGORITHM } from '@orgapi/shared';

interface SigningKeyRow {
  id: string;
  public_jwk: JWK;
  private_jwk: JWK;
}

export interface ActiveKey {
  kid: string;
  privateKey: CryptoKey;
}

export class SigningKeys {
  private constructor(
    readonly active: ActiveKey,
    readonly jwks: JSONWebKeySet,
  ) {}

  /** Loads the current keys, generating the first one if there is none (one replica at a time). */
  static async load(db: DataSource): Promise<SigningKeys> {
    const rows = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['identity:signing_keys']);
      const existing: SigningKeyRow[] = await tx.query(
        'SELECT id, public_jwk, private_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, id DESC',
      );
      if (existing.length > 0) return existing;
      const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
      const id = newId('sgk');
      const publicJwk = { ...(await exportJWK(publicKey)), kid: id, alg: TOKEN_ALGORITHM, use: 'sig' };
      const privateJwk = { ...(await exportJWK(privateKey)), kid: id, alg: TOKEN_ALGORITHM };
      await tx.query('INSERT INTO signing_keys (id, algorithm, public_jwk, private_jwk) VALUES ($1, $2, $3, $4)', [
        id,
        TOKEN_ALGORITHM,
        publicJwk,
        privateJwk,
      ]);
      return [{ id, public_jwk: publicJwk, private_jwk: privateJwk }];
    });
    const [newest] = rows;
    const privateKey = (await importJWK(newest.private_jwk, TOKEN_ALGORITHM)) as CryptoKey;
    return new SigningKeys({ kid: newest.id, privateKey }, { keys: rows.map((row) => row.public_jwk) });
  }

  /** Verifies tokens against these keys directly, without a round trip to our own JWKS endpoint. */
  verifier(): CredentialVerifier {
    return new CredentialVerifier(createLocalJWKSet(this.jwks));
  }
}
