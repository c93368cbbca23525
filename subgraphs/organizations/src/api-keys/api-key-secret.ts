// The shape of API key secrets, as Stripe's: `sk_live_…` says what it is at a glance (and to secret scanners), and
// 32 random bytes (256 bits, base64url) make guessing pointless. Only a SHA-256 of the secret is stored, with enough
// of it to recognise (`sk_live_AbCd…wXyZ`).
import { randomBytes } from 'node:crypto';
import type { EnvironmentMode } from '@orgapi/shared';

export const API_KEY_KINDS = ['PUBLISHABLE', 'SECRET'] as const;
export type ApiKeyKind = (typeof API_KEY_KINDS)[number];

const KIND_PREFIX: Record<ApiKeyKind, string> = { PUBLISHABLE: 'pk', SECRET: 'sk' };
const MODE_PREFIX: Record<EnvironmentMode, string> = { SANDBOX: 'test', LIVE: 'live' };

/** `sk_test_…`, `pk_live_…`: what a bearer token that is an API key looks like. */
export const API_KEY_PATTERN = /^(sk|pk)_(test|live)_[A-Za-z0-9_-]{43}$/;

export interface NewApiKeySecret {
  secret: string;
  /** What is shown of it later: the type prefix and its first four random characters. */
  prefix: string;
  lastFour: string;
}

export function newApiKeySecret(kind: ApiKeyKind, mode: EnvironmentMode): NewApiKeySecret {
  const head = `${KIND_PREFIX[kind]}_${MODE_PREFIX[mode]}_`;
  const secret = head + randomBytes(32).toString('base64url');
  return { secret, prefix: secret.slice(0, head.length + 4), lastFour: secret.slice(-4) };
}

/** True for a string shaped like an API key (a bearer token to ask organizations about). */
export const looksLikeApiKey = (token: string) => API_KEY_PATTERN.test(token);

export const API_KEY_STATUSES = ['ACTIVE', 'ROLLED', 'EXPIRED', 'REVOKED'] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

/** Why a key no longer works, as `extensions.reason` says it: each has its own fix. */
export type ApiKeyRefusal = 'revoked' | 'expired' | 'rolled';

/** What a key is at `now`: revoked beats expired; a rolled key works until its grace period ends, then is `rolled`. */
export function apiKeyStatus(key: { revokedAt: Date | null; expiresAt: Date | null; rolledAt: Date | null }, now: Date): { status: ApiKeyStatus; refusal: ApiKeyRefusal | null } {
  if (key.revokedAt) return { status: 'REVOKED', refusal: 'revoked' };
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return { status: 'EXPIRED', refusal: key.rolledAt ? 'rolled' : 'expired' };
  if (key.rolledAt) return { status: 'ROLLED', refusal: null };
  return { status: 'ACTIVE', refusal: null };
}
