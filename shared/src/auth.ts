// Verifies the caller's credential: the one mechanism the gateway and every subgraph use to learn who is asking.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AppError, ErrorCode } from './errors';

export const TOKEN_ISSUER = 'orgapi-identity';
export const TOKEN_AUDIENCE = 'orgapi';
export const TOKEN_ALGORITHM = 'ES256';
/** The header the gateway adds to prove a request came through it. */
export const ROUTER_SECRET_HEADER = 'x-router-secret';

/** Who is asking. `sessionId` is set for access tokens issued to a signed-in session. */
export interface Principal {
  userId: string;
  sessionId?: string;
}

export type CredentialErrorReason = 'expired' | 'invalid' | 'malformed';

export class CredentialError extends AppError {
  constructor(
    readonly reason: CredentialErrorReason,
    message: string,
  ) {
    super(ErrorCode.UNAUTHENTICATED, message, { reason });
  }
}

const MESSAGES: Record<CredentialErrorReason, string> = {
  expired: 'Your access token has expired. Refresh your session or sign in again.',
  invalid: 'Your access token is not valid. Sign in again to get a new one.',
  malformed: 'The Authorization header must be "Bearer <token>".',
};
const credentialError = (reason: CredentialErrorReason) => new CredentialError(reason, MESSAGES[reason]);

/** Pulls the token out of an `Authorization: Bearer …` header; null when there is none. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw credentialError('malformed');
  return match[1];
}

export class CredentialVerifier {
  constructor(private readonly keys: JWTVerifyGetKey) {}

  /** A verifier that fetches and caches the identity service's public keys (refetched when a new key id appears). */
  static fromJwksUrl(url: string): CredentialVerifier {
    return new CredentialVerifier(createRemoteJWKSet(new URL(url), { cacheMaxAge: 10 * 60_000, cooldownDuration: 5_000 }));
  }

  /** The principal behind an Authorization header, null for an anonymous request, CredentialError for a bad one. */
  async verify(authorization: string | undefined): Promise<Principal | null> {
    const token = bearerToken(authorization);
    if (token === null) return null;
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: [TOKEN_ALGORITHM],
        requiredClaims: ['sub', 'exp'],
      });
      if (typeof payload.sub !== 'string') throw credentialError('invalid');
      return { userId: payload.sub, sessionId: typeof payload.sid === 'string' ? payload.sid : undefined };
    } catch (error) {
      if (error instanceof CredentialError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw credentialError('expired');
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) throw credentialError('invalid');
      throw error;
    }
  }
}
