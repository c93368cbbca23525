// Issues the signed, short-lived access tokens that every service verifies against the JWKS.
import { SignJWT } from 'jose';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type SigningKeys } from '@orgapi/shared';

export interface AccessToken {
  token: string;
  expiresAt: Date;
}

export async function issueAccessToken(keys: SigningKeys, userId: string, sessionId: string, ttlSeconds: number): Promise<AccessToken> {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: keys.active.kid, typ: 'at+jwt' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(userId)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(keys.active.privateKey);
  return { token, expiresAt: new Date((now + ttlSeconds) * 1000) };
}
