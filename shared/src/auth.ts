// Verifies the caller's credential: the one mechanism the gateway and every subgraph use to learn who is asking.
import type { RevocationListener } from './revocation-listener';
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { HeaderMap } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import { AppError, ErrorCode } from './errors';
import { ROUTER_SECRET_HEADER } from './router-secret';
import { JWKS_TIMEOUT_MS } from './signing-keys';

export const TOKEN_ISSUER = 'orgapi-identity';
export const TOKEN_AUDIENCE = 'orgapi';
export const TOKEN_ALGORITHM = 'ES256';
/** Personal access tokens are opaque secrets starting with this, so secret scanners can spot them. */
export const PERSONAL_ACCESS_TOKEN_PREFIX = 'pat_';

/**
 * Who is asking: a signed-in session (an access token) or a personal access token. `email` and `emailVerified`
 * come with identity's answer on whether the credential is live (so they cost no extra call), and are as fresh as
 * that answer: a just-verified address shows as verified to the other services within CREDENTIAL_CACHE_SECONDS.
 */
export interface Principal {
  userId: string;
  kind: 'session' | 'personal_access_token';
  sessionId?: string;
  tokenId?: string;
  /** The user's email address, in lower case: what an invitation to an address is matched against. */
  email: string;
  /** Whether the user has proven they read mail at `email` (a verification or password-reset link). */
  emailVerified: boolean;
}

/**
 * A machine client calling with an environment's API key (`sk_test_…`, `pk_live_…`): it acts for that environment
 * alone, never for a person, so it is not a Principal: everything that needs a person refuses it (requireViewer), and
 * only what names the key's own environment lets it in.
 */
export interface ApiKeyCaller {
  keyId: string;
  kind: 'PUBLISHABLE' | 'SECRET';
  environmentId: string;
  projectId: string;
  organizationId: string;
  mode: 'SANDBOX' | 'LIVE';
}

/** The caller of one request: a person (a session or personal access token), a machine client with an API key, or no one. */
export interface Caller {
  principal: Principal | null;
  apiKey: ApiKeyCaller | null;
}

/** `sk_test_…`, `pk_live_…`: what a bearer token that is an API key looks like. */
export const API_KEY_TOKEN = /^(sk|pk)_(test|live)_[A-Za-z0-9_-]{43}$/;

/** What the identity service says of a session or an opaque token (RFC 7662's `active`, plus why not). */
export interface CredentialStatus {
  active: boolean;
  /** For an API key, asked of organizations: the environment it acts for. */
  apiKey?: ApiKeyCaller;
  userId?: string;
  sessionId?: string;
  tokenId?: string;
  /** The user's email address and whether it is verified, with every active answer. */
  email?: string;
  emailVerified?: boolean;
  reason?: 'expired' | 'revoked' | 'invalid' | 'rolled';
}

export type IntrospectionRequest = { sessionId: string } | { token: string };
export type Introspect = (request: IntrospectionRequest) => Promise<CredentialStatus>;

export type CredentialErrorReason = 'expired' | 'invalid' | 'malformed' | 'revoked' | 'rolled';

/**
 * A refused credential. Thrown while building a request's context, it answers the whole request with HTTP 401 and
 * the challenge RFC 6750 asks for (Apollo reads `extensions.http` and leaves it out of the response).
 */
export class CredentialError extends AppError {
  constructor(
    readonly reason: CredentialErrorReason,
    message: string,
  ) {
    const challenge = `Bearer error="invalid_token", error_description="${message.replace(/"/g, "'")}"`;
    super(ErrorCode.UNAUTHENTICATED, message, { reason, http: { status: 401, headers: new HeaderMap([['www-authenticate', challenge]]) } });
  }
}

const MESSAGES: Record<CredentialErrorReason, string> = {
  expired: 'Your credential has expired. Refresh your session or sign in again.',
  invalid: 'Your credential is not valid. Sign in again to get a new one.',
  malformed: 'The Authorization header must be "Bearer <token>".',
  revoked: 'Your credential has been revoked (signed out, or the token was revoked). Sign in again or use another token.',
  rolled: 'This API key was rolled and its grace period is over: use the new key that replaced it.',
};
const credentialError = (reason: CredentialErrorReason) => new CredentialError(reason, MESSAGES[reason]);

/** Pulls the token out of an `Authorization: Bearer …` header; null when there is none. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw credentialError('malformed');
  return match[1];
}

/** How opaque secrets are stored and looked up: they are long and random, so a fast hash is enough. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export interface RemoteVerifierOptions {
  jwksUrl: string;
  introspectionUrl: string;
  /** Where to ask about API keys (organizations); unset, API keys are refused as invalid. */
  keyIntrospectionUrl?: string;
  /** Answers about API keys in-process instead (organizations, from its own tables, uncached). */
  introspectKey?: (secret: string) => Promise<CredentialStatus>;
  routerSecret: string;
  /** How long an answer about a session or token is reused, when no revocation is heard first. */
  cacheSeconds: number;
  /** Hears revocations, so that a revoked credential is refused on the next request; without it, within cacheSeconds. */
  revocations?: RevocationListener;
}

/**
 * Asks the identity service whether a session or opaque token is live, remembering answers for `cacheSeconds`
 * so that a busy service does not call identity on every request. With `revocations`, every revocation empties the
 * cache, and a cached answer is trusted only once every revocation committed before the request has been heard (the
 * listener's barrier); revocations are rare, so emptying everything is simpler than tracking whose they were, and as
 * cheap.
 */
export function remoteIntrospection(url: string, routerSecret: string, cacheSeconds: number, revocations?: RevocationListener): Introspect {
  const ask = async (request: IntrospectionRequest): Promise<CredentialStatus> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ROUTER_SECRET_HEADER]: routerSecret },
      body: JSON.stringify(request),
    });
    if (!response.ok) throw new Error(`Credential introspection answered HTTP ${response.status}`);
    return (await response.json()) as CredentialStatus;
  };
  if (cacheSeconds <= 0) return ask;
  const cache = new LRUCache<string, Promise<CredentialStatus>>({ max: 50_000, ttl: cacheSeconds * 1000 });
  revocations?.onRevocation(() => cache.clear());
  const cached = (request: IntrospectionRequest): Promise<CredentialStatus> => {
    const key = 'sessionId' in request ? `s:${request.sessionId}` : `t:${hashSecret(request.token).toString('base64')}`;
    let answer = cache.get(key);
    if (!answer) {
      answer = ask(request);
      cache.set(key, answer);
      // A failed call is not an answer: the next request asks again.
      answer.catch(() => cache.delete(key));
    }
    return answer;
  };
  if (!revocations) return cached;
  return async (request) => ((await revocations.barrier()) ? cached(request) : ask(request));
}

// An answer without them (an identity older than these fields) reads as an unverified address no invitation matches.
const emailOf = (status: CredentialStatus) => ({ email: status.email ?? '', emailVerified: status.emailVerified === true });

interface VerifiedToken {
  userId: string;
  sessionId: string;
  expiresAtMs: number;
}

export class CredentialVerifier {
  // A token's signature never changes, so a verified token need not be verified again before it expires; whether
  // its session is still live is asked separately, every time (through the introspection cache).
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: 50_000 });

  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly introspect: Introspect,
    /** Asks whether an API key works: organizations' own tables there, its internal route elsewhere. */
    private readonly introspectKey: ((secret: string) => Promise<CredentialStatus>) | null = null,
  ) {}

  /** A verifier for services other than identity: keys from its JWKS, live-ness from its introspection endpoint. */
  static remote(options: RemoteVerifierOptions): CredentialVerifier {
    const keyIntrospection = options.keyIntrospectionUrl && !options.introspectKey
      ? remoteIntrospection(options.keyIntrospectionUrl, options.routerSecret, options.cacheSeconds, options.revocations)
      : null;
    return new CredentialVerifier(
      createRemoteJWKSet(new URL(options.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 5_000, timeoutDuration: JWKS_TIMEOUT_MS }),
      remoteIntrospection(options.introspectionUrl, options.routerSecret, options.cacheSeconds, options.revocations),
      options.introspectKey ?? (keyIntrospection && ((secret) => keyIntrospection({ token: secret }))),
    );
  }

  /** Who is calling: a person, a machine client with an API key, or no one; CredentialError for a bad credential. */
  async verifyCaller(authorization: string | undefined): Promise<Caller> {
    const token = bearerToken(authorization);
    if (token !== null && API_KEY_TOKEN.test(token)) {
      if (!this.introspectKey) throw credentialError('invalid');
      const status = await this.introspectKey(token);
      if (!status.active || !status.apiKey) throw credentialError(status.reason ?? 'invalid');
      return { principal: null, apiKey: status.apiKey };
    }
    return { principal: await this.verify(authorization), apiKey: null };
  }

  /** The principal behind an Authorization header, null for an anonymous request, CredentialError for a bad one. */
  async verify(authorization: string | undefined): Promise<Principal | null> {
    const token = bearerToken(authorization);
    if (token === null) return null;
    // An API key is no person: verifyCaller is what knows it.
    if (API_KEY_TOKEN.test(token)) throw credentialError('invalid');
    if (token.startsWith(PERSONAL_ACCESS_TOKEN_PREFIX)) {
      const status = await this.introspect({ token });
      if (!status.active || !status.userId) throw credentialError(status.reason ?? 'invalid');
      return { userId: status.userId, kind: 'personal_access_token', tokenId: status.tokenId, ...emailOf(status) };
    }
    const { userId, sessionId } = await this.verifySignature(token);
    const status = await this.introspect({ sessionId });
    if (!status.active) throw credentialError(status.reason === 'expired' ? 'expired' : 'revoked');
    return { userId, kind: 'session', sessionId, ...emailOf(status) };
  }

  private async verifySignature(token: string): Promise<VerifiedToken> {
    const known = this.verified.get(token);
    if (known && known.expiresAtMs > Date.now()) return known;
    if (known) throw credentialError('expired');
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: [TOKEN_ALGORITHM],
        requiredClaims: ['sub', 'exp', 'sid'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw credentialError('invalid');
      const verified = { userId: payload.sub, sessionId: payload.sid, expiresAtMs: (payload.exp as number) * 1000 };
      this.verified.set(token, verified);
      return verified;
    } catch (error) {
      if (error instanceof CredentialError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw credentialError('expired');
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) throw credentialError('invalid');
      throw error;
    }
  }
}
