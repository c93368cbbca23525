// Permission claims: what the caller may do with one entity, signed by the subgraph that owns that fact and bound to
// the caller's credential, so that a subgraph receiving it through the query plan (@requires) need not take the
// router's word for it.
import DataLoader from 'dataloader';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Principal } from './auth';
import type { SubgraphName } from './services';
import { SIGNING_ALGORITHM } from './signing-key-rotation';
import type { ActiveKey } from './signing-keys';

/** The entity a claim is about, as federation names it: its type and its key. */
export interface ClaimedEntity {
  typename: string;
  id: string;
}

/**
 * How long a claim is valid. Through a router every request carries claims issued for it, so this bounds only the
 * replay of a claim copied by someone who also holds the router secret, for instance after their role was lowered.
 */
export const CLAIM_LIFETIME_SECONDS = 120;
// A reused claim is signed anew when less than this is left, so none expires between two subgraphs of one request.
const RENEW_BEFORE_EXPIRY_SECONDS = 30;
// Claims are JWTs of their own type, signed with keys of their own: neither a claim nor an access token passes for the other.
const CLAIM_TYPE = 'permissions+jwt';
// Far above a real claim (about 700 characters); anything longer is refused before any work is spent on it.
const MAX_CLAIM_LENGTH = 4096;

/** The credential a claim is bound to: the session, or the personal access token. */
export function credentialOf(principal: Principal): string | null {
  return principal.sessionId ?? principal.tokenId ?? null;
}

const nameOf = (entity: ClaimedEntity) => `${entity.typename}:${entity.id}`;

/** Signs claims with the keys of the subgraph that owns the permissions (`issuer`, its name). */
export class ClaimIssuer {
  // ES256 signing costs about 80 µs of CPU: the overview's hundred projects would spend 8 ms on every request. A claim
  // is reused instead for most of its lifetime, for the same credential, entity and permissions.
  private readonly signed = new LRUCache<string, Promise<string>>({
    max: 50_000,
    ttl: (CLAIM_LIFETIME_SECONDS - RENEW_BEFORE_EXPIRY_SECONDS) * 1000,
  });

  constructor(
    private readonly keys: { readonly active: ActiveKey },
    private readonly issuer: SubgraphName,
  ) {}

  /** A claim that the caller holds `permissions` on `entity`; null for an anonymous caller or no permissions. */
  issue(principal: Principal | null, entity: ClaimedEntity, permissions: readonly string[]): Promise<string | null> {
    const credential = principal && credentialOf(principal);
    if (!principal || !credential || permissions.length === 0) return Promise.resolve(null);
    const key = `${credential}\n${principal.userId}\n${nameOf(entity)}\n${permissions.join(' ')}`;
    let claim = this.signed.get(key);
    if (!claim) {
      claim = this.sign(principal.userId, credential, nameOf(entity), permissions);
      this.signed.set(key, claim);
      claim.catch(() => this.signed.delete(key));
    }
    return claim;
  }

  private sign(userId: string, credential: string, entity: string, permissions: readonly string[]): Promise<string> {
    const { kid, privateKey } = this.keys.active;
    return new SignJWT({ cid: credential, ent: entity, perm: permissions })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: CLAIM_TYPE })
      .setIssuer(this.issuer)
      .setSubject(userId)
      .setExpirationTime(Math.floor(Date.now() / 1000) + CLAIM_LIFETIME_SECONDS)
      .sign(privateKey);
  }
}

interface VerifiedClaim {
  userId: string;
  credential: string;
  entity: string;
  permissions: readonly string[];
  expiresAtMs: number;
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Checks claims against the issuer's published keys (`issuer`, its name). */
export class ClaimVerifier {
  // Verifying costs about 115 µs of CPU, and the same claim comes back on every request until it is renewed: what
  // it says is kept (it cannot change), and whether it applies is checked each time. Claims that can never verify
  // are remembered too, so repeating a forgery costs nothing.
  private readonly verified = new LRUCache<string, VerifiedClaim | false>({ max: 50_000, ttl: CLAIM_LIFETIME_SECONDS * 1000 });
  // Claims checked in the same tick are answered together: checks that finish one by one would spread the loads
  // that follow them (a usage row per project) over as many SQL statements.
  private readonly together = new DataLoader<string, VerifiedClaim | null>((claims) => Promise.all(claims.map((claim) => this.read(claim).catch((error: Error) => error))), {
    cache: false,
  });

  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly issuer: SubgraphName,
  ) {}

  /** A verifier fetching the issuer's keys from its JWKS; an unknown key ID fetches them again (at most every 5 s). */
  static remote(jwksUrl: string, issuer: SubgraphName): ClaimVerifier {
    return new ClaimVerifier(createRemoteJWKSet(new URL(jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 5_000 }), issuer);
  }

  /**
   * What the caller may do with `entity` according to `claim`: nothing when the claim is missing, forged, expired,
   * or issued to another credential or for another entity, exactly as for a caller who holds no permission there.
   */
  async permissions(claim: unknown, principal: Principal | null, entity: ClaimedEntity): Promise<readonly string[]> {
    const credential = principal && credentialOf(principal);
    if (typeof claim !== 'string' || !principal || !credential) return [];
    const verified = await this.together.load(claim);
    const applies =
      verified &&
      verified.expiresAtMs > Date.now() &&
      verified.credential === credential &&
      verified.userId === principal.userId &&
      verified.entity === nameOf(entity);
    return applies ? verified.permissions : [];
  }

  private async read(claim: string): Promise<VerifiedClaim | null> {
    const known = this.verified.get(claim);
    if (known !== undefined) return known || null;
    if (claim.length > MAX_CLAIM_LENGTH) return null;
    try {
      const { payload } = await jwtVerify(claim, this.keys, {
        issuer: this.issuer,
        algorithms: [SIGNING_ALGORITHM],
        typ: CLAIM_TYPE,
        requiredClaims: ['sub', 'exp', 'cid', 'ent', 'perm'],
      });
      const { sub, exp, cid, ent, perm } = payload;
      if (typeof sub !== 'string' || typeof cid !== 'string' || typeof ent !== 'string' || !isStringArray(perm) || typeof exp !== 'number') {
        this.verified.set(claim, false);
        return null;
      }
      const verified = { userId: sub, credential: cid, entity: ent, permissions: perm, expiresAtMs: exp * 1000 };
      this.verified.set(claim, verified);
      return verified;
    } catch (error) {
      // A key ID not published (yet, or any more) is not remembered: the keys may be fetched again for the next one.
      if (error instanceof joseErrors.JWKSNoMatchingKey) return null;
      // The issuer's keys could not be fetched: a fault of ours, not the caller's, and not a refusal.
      if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) throw error;
      if (error instanceof joseErrors.JOSEError) {
        this.verified.set(claim, false);
        return null;
      }
      throw error;
    }
  }
}
