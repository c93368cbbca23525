// Storing signing keys at rest: in the clear without a secret, sealed to their own row with one.
import type { JWK } from 'jose';
import { KeyVault, KeyVaultError } from './key-vault';

const SECRET = 'a'.repeat(64);
const OWNER = 'identity';
const jwk: JWK = { kty: 'EC', crv: 'P-256', x: 'x-coordinate', y: 'y-coordinate', d: 'private-part', kid: 'sgk_1' };

describe('the key vault', () => {
  it('stores keys as they are without a secret', async () => {
    const vault = new KeyVault(undefined, OWNER);
    expect(vault.encrypts).toBe(false);
    expect(await vault.seal('sgk_1', jwk)).toEqual(jwk);
    expect(await vault.open('sgk_1', jwk)).toEqual(jwk);
  });

  it('stores keys encrypted with a secret, and opens them again', async () => {
    const vault = new KeyVault(SECRET, OWNER);
    const stored = await vault.seal('sgk_1', jwk);
    expect(vault.encrypts).toBe(true);
    expect(JSON.stringify(stored)).not.toContain('private-part');
    expect(await vault.open('sgk_1', stored)).toEqual(jwk);
  });

  it('still opens keys stored in the clear before a secret was set', async () => {
    expect(await new KeyVault(SECRET, OWNER).open('sgk_1', jwk)).toEqual(jwk);
  });

  it("refuses a row's secret moved to another row", async () => {
    const vault = new KeyVault(SECRET, OWNER);
    await expect(vault.open('sgk_2', await vault.seal('sgk_1', jwk))).rejects.toThrow('Signing key sgk_2 holds the secret of another key.');
  });

  it('refuses to open encrypted keys without the secret, or with another one', async () => {
    const stored = await new KeyVault(SECRET, OWNER).seal('sgk_1', jwk);
    await expect(new KeyVault(undefined, OWNER).open('sgk_1', stored)).rejects.toThrow(/set SIGNING_KEY_SECRET/);
    await expect(new KeyVault('b'.repeat(64), OWNER).open('sgk_1', stored)).rejects.toThrow(KeyVaultError);
    await expect(new KeyVault('b'.repeat(64), OWNER).open('sgk_1', stored)).rejects.toThrow(/not the secret they were stored with/);
  });

  it("does not open another service's keys sealed with the same secret", async () => {
    const stored = await new KeyVault(SECRET, 'organizations').seal('sgk_1', jwk);
    await expect(new KeyVault(SECRET, OWNER).open('sgk_1', stored)).rejects.toThrow(KeyVaultError);
  });
});
