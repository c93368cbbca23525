// Encrypts the signing keys' private parts at rest (JWE, A256GCM), so a copy of a service's database cannot sign in its name.
import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, type JWK } from 'jose';

/** How a private key is stored: the JWK itself (no secret configured), or a JWE of it. */
export type StoredPrivateKey = JWK | { jwe: string };

export class KeyVaultError extends Error {}

export class KeyVault {
  private readonly key: Uint8Array | null;

  /**
   * `secret` is the owning service's SIGNING_KEY_SECRET; without one, keys are stored as they are (development).
   * The encryption key is derived for `owner` (the service's name), so one secret set on two services seals
   * each one's keys differently.
   */
  constructor(secret: string | undefined, owner: string) {
    this.key = secret ? new Uint8Array(hkdfSync('sha256', secret, `orgapi ${owner}`, 'signing-key-encryption', 32)) : null;
  }

  get encrypts(): boolean {
    return this.key !== null;
  }

  /** The form to store; the key ID is bound into the ciphertext, so a row's secret cannot be moved to another row. */
  async seal(kid: string, jwk: JWK): Promise<StoredPrivateKey> {
    if (!this.key) return jwk;
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid })
      .encrypt(this.key);
    return { jwe };
  }

  async open(kid: string, stored: StoredPrivateKey): Promise<JWK> {
    if (!('jwe' in stored)) return stored as JWK;
    if (!this.key) throw new KeyVaultError('The signing keys are encrypted: set SIGNING_KEY_SECRET to the secret they were stored with.');
    try {
      const { plaintext, protectedHeader } = await compactDecrypt(stored.jwe as string, this.key);
      if (protectedHeader.kid !== kid) throw new KeyVaultError(`Signing key ${kid} holds the secret of another key.`);
      return JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
    } catch (error) {
      if (error instanceof KeyVaultError) throw error;
      throw new KeyVaultError('SIGNING_KEY_SECRET does not decrypt the stored signing keys: it is not the secret they were stored with.');
    }
  }
}
