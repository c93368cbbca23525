// API key secrets and what a key's dates make of it.
import { apiKeyStatus, looksLikeApiKey, newApiKeySecret } from './api-key-secret';

describe('newApiKeySecret', () => {
  it('says its kind and mode, and keeps a recognisable prefix and suffix', () => {
    const { secret, prefix, lastFour } = newApiKeySecret('SECRET', 'LIVE');
    expect(secret).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/);
    expect(prefix).toBe(secret.slice(0, 12));
    expect(lastFour).toBe(secret.slice(-4));
    expect(newApiKeySecret('PUBLISHABLE', 'SANDBOX').secret).toMatch(/^pk_test_/);
  });

  it('never repeats', () => {
    const secrets = new Set(Array.from({ length: 1000 }, () => newApiKeySecret('SECRET', 'SANDBOX').secret));
    expect(secrets.size).toBe(1000);
  });

  it('is recognised as an API key, and nothing else is', () => {
    expect(looksLikeApiKey(newApiKeySecret('PUBLISHABLE', 'LIVE').secret)).toBe(true);
    for (const other of ['pat_abc', 'sk_prod_' + 'a'.repeat(43), 'sk_test_short', 'eyJhbGciOi.x.y']) expect(looksLikeApiKey(other)).toBe(false);
  });
});

describe('apiKeyStatus', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const before = new Date('2026-12-01T11:00:00Z');
  const after = new Date('2026-12-01T13:00:00Z');

  it('tells active, rolled within its grace, expired, rolled past its grace and revoked apart', () => {
    expect(apiKeyStatus({ revokedAt: null, expiresAt: null, rolledAt: null }, now)).toEqual({ status: 'ACTIVE', refusal: null });
    expect(apiKeyStatus({ revokedAt: null, expiresAt: after, rolledAt: before }, now)).toEqual({ status: 'ROLLED', refusal: null });
    expect(apiKeyStatus({ revokedAt: null, expiresAt: before, rolledAt: null }, now)).toEqual({ status: 'EXPIRED', refusal: 'expired' });
    expect(apiKeyStatus({ revokedAt: null, expiresAt: before, rolledAt: before }, now)).toEqual({ status: 'EXPIRED', refusal: 'rolled' });
    expect(apiKeyStatus({ revokedAt: before, expiresAt: before, rolledAt: before }, now)).toEqual({ status: 'REVOKED', refusal: 'revoked' });
  });

  it('counts the expiry instant as expired', () => {
    expect(apiKeyStatus({ revokedAt: null, expiresAt: now, rolledAt: null }, now).refusal).toBe('expired');
  });
});
