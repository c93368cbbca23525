// Permission claims: facts that grant access, signed by the subgraph that owns them and checked by the subgraph they reach through a query plan.
import DataLoader from 'dataloader';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { JWKS_TIMEOUT_MS } from './signing-keys';
import type { Principal } from './auth';
import type { SubgraphName } from './services';
import { decodePermissions, encodePermissions } from './permission-bits';
import { SIGNING_ALGORITHM } from './signing-key-rotation';
import type { ActiveKey } from './signing-keys';

/** An entity as federation names it: its type and its key. */
export interface ClaimedEntity {
  typename: string;
  id: string;
}

// A claim has two parts, each a JWT signed by the issuer, joined by a space:
// - the caller's part, bound to their credential: the permissions they hold in one organization;
// - the entity's part, bound to no caller: that an entity belongs to that organization. Absent for the organization.
// So each caller costs one signature per organization however many entities they see, and each entity one signature
// shared by every caller, while neither part can be paired with another caller or with another organization's entity.
//
// Both parts travel with every entity of a page (each project and member of an overview: 200 claims), through the
// gateway's answer from organizations and its requests to billing and identity, so they are kept short: permissions
// as bits (permission-bits.ts), the organization as its bare ID, short types. 1,145 characters a claim became 758, and
// organizations' answer to the bench's overview 264 KB -> 186 KB (npm run bench; BENCHMARKS.md).

/**
 * The caller's part lives 2 minutes. Through a router every request carries parts issued for it, so this bounds only
 * the replay of a claim copied by someone who also holds the router secret, for instance after their role was lowered.
 */
const CALLER = { type: 'perm+jwt', lifetimeSeconds: 120 };
// Long enough to be signed once for many callers; short enough that an entity leaving the organization (a member
// removed) is soon no longer vouched for.
const ENTITY = { type: 'ent+jwt', lifetimeSeconds: 600 };
// A reused part is signed anew when less than this is left, so none expires between two subgraphs of one request.
const RENEW_BEFORE_EXPIRY_SECONDS = 30;
// Far above a real part (about 400 characters); anything longer is refused before any work is spent on it.
const MAX_PART_LENGTH = 2048;

/** What a caller's part says, as signed: `sub` the user, `cid` their credential, `org`, `p` the permissions' bits. */
export interface CallerPartPayload {
  sub: string;
  cid: string;
  org: string;
  p: string;
}

/** The payload of a caller's part granting `permissions` in `organizationId` (also for tests that sign by hand). */
export function callerPartPayload(userId: string, credential: string, organizationId: string, permissions: readonly string[]): CallerPartPayload {
  return { sub: userId, cid: credential, org: organizationId, p: encodePermissions(permissions) };
}

/** The credential a claim is bound to: the session, or the personal access token. */
export function credentialOf(principal: Principal): string | null {
  return principal.sessionId ?? principal.tokenId ?? null;
}

/** A part of a claim: its text once signed, or the promise of it while being signed. */
type Part = string | Promise<string>;

const nameOf = (entity: ClaimedEntity) => `${entity.typename}:${entity.id}`;
const isOrganization = (entity: ClaimedEntity, organizationId: string) => entity.typename === 'Organization' && entity.id === organizationId;

/** Signs claims with the keys of the subgraph that owns the permissions (`issuer`, its name). */
export class ClaimIssuer {
  // ES256 signing costs about 80 µs of CPU. Each part is reused instead for most of its lifetime: the caller's for
  // the same credential, organization and permissions; the entity's for every caller. A part being signed is kept as
  // its promise, a signed one as its text, so a request whose parts are all signed builds its claims without awaiting
  // anything: 200 claims of signed parts (the bench's overview) took 536–979 µs through promises, 287–310 µs so
  // (node, 1,500 rounds, alternating).
  private readonly callerParts = new LRUCache<string, Part>({ max: 50_000, ttl: (CALLER.lifetimeSeconds - RENEW_BEFORE_EXPIRY_SECONDS) * 1000 });
  private readonly entityParts = new LRUCache<string, Part>({ max: 100_000, ttl: (ENTITY.lifetimeSeconds - RENEW_BEFORE_EXPIRY_SECONDS) * 1000 });

  constructor(
    private readonly keys: { readonly active: ActiveKey },
    private readonly issuer: SubgraphName,
  ) {}

  /**
   * A claim that the caller holds `permissions` in the organization `organizationId`, and that `entity` (the
   * organization itself unless given) belongs to it; null for an anonymous caller or no permissions. The caller states
   * only what is true.
   */
  issue(principal: Principal | null, organizationId: string, permissions: readonly string[], entity?: ClaimedEntity): Promise<string | null> | string | null {
    const credential = principal && credentialOf(principal);
    if (!principal || !credential || permissions.length === 0) return null;
    const callerPart = this.reuse(this.callerParts, `${credential}\n${principal.userId}\n${organizationId}\n${permissions.join(' ')}`, () =>
      this.sign(CALLER, { ...callerPartPayload(principal.userId, credential, organizationId, permissions) }),
    );
    if (!entity || isOrganization(entity, organizationId)) return callerPart;
    const entityPart = this.reuse(this.entityParts, `${nameOf(entity)}\n${organizationId}`, () => this.sign(ENTITY, { ent: nameOf(entity), org: organizationId }));
    if (typeof callerPart === 'string' && typeof entityPart === 'string') return `${callerPart} ${entityPart}`;
    return Promise.all([callerPart, entityPart]).then((parts) => parts.join(' '));
  }

  private reuse(cache: LRUCache<string, Part>, key: string, sign: () => Promise<string>): Part {
    const known = cache.get(key);
    if (known !== undefined) return known;
    const signing = sign();
    cache.set(key, signing);
    signing.then(
      (part) => cache.get(key) === signing && cache.set(key, part, { noUpdateTTL: true }),
      () => cache.delete(key),
    );
    return signing;
  }

  private sign(kind: typeof CALLER, payload: Record<string, unknown>): Promise<string> {
    const { kid, privateKey } = this.keys.active;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: kind.type })
      .setIssuer(this.issuer)
      .setExpirationTime(Math.floor(Date.now() / 1000) + kind.lifetimeSeconds)
      .sign(privateKey);
  }
}

type VerifiedPart =
  | { kind: 'caller'; userId: string; credential: string; organizationId: string; permissions: readonly string[]; expiresAtMs: number }
  | { kind: 'entity'; entity: string; organizationId: string; expiresAtMs: number };

const isString = (value: unknown): value is string => typeof value === 'string';

/** What a verified part says, or null when its payload is not what its type promises. */
function partOf(type: unknown, payload: Record<string, unknown>, expiresAtMs: number): VerifiedPart | null {
  const { sub, cid, org, p, ent } = payload;
  const permissions = type === CALLER.type ? decodePermissions(p) : null;
  if (permissions && isString(sub) && isString(cid) && isString(org)) {
    return { kind: 'caller', userId: sub, credential: cid, organizationId: org, permissions, expiresAtMs };
  }
  if (type === ENTITY.type && isString(ent) && isString(org)) return { kind: 'entity', entity: ent, organizationId: org, expiresAtMs };
  return null;
}

/** Checks claims against the issuer's published keys (`issuer`, its name). */
export class ClaimVerifier {
  // Verifying costs about 115 µs of CPU, and the same part comes back on every request until it is renewed: what it
  // says is kept (it cannot change), and whether it applies is checked each time. Parts that can never verify are
  // remembered too, so repeating a forgery costs nothing.
  private readonly verified = new LRUCache<string, VerifiedPart | false>({ max: 100_000, ttl: ENTITY.lifetimeSeconds * 1000 });
  // Parts checked in the same tick are answered together, each verified once however many entities carry it (the
  // caller's part comes with every project): checks that finish one by one would spread the loads that follow them
  // (a usage row per project) over as many SQL statements.
  private readonly together = new DataLoader<string, VerifiedPart | null>(
    async (parts) => {
      const reads = new Map([...new Set(parts)].map((part) => [part, this.read(part).catch((error: Error) => error)]));
      return Promise.all(parts.map((part) => reads.get(part)!));
    },
    { cache: false },
  );

  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly issuer: SubgraphName,
  ) {}

  /**
   * A verifier fetching the issuer's keys from its JWKS; an unknown key ID fetches them again (at most every 5 s). The
   * fetch may take up to JWKS_TIMEOUT_MS: jose's default of 5 s failed a whole query's claims on a loaded CI machine.
   */
  static remote(jwksUrl: string, issuer: SubgraphName): ClaimVerifier {
    return new ClaimVerifier(createRemoteJWKSet(new URL(jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 5_000, timeoutDuration: JWKS_TIMEOUT_MS }), issuer);
  }

  /**
   * What the caller may do with `entity` according to `claim`: nothing when the claim is missing, forged, expired,
   * issued to another credential, or for an entity of another organization, exactly as for a caller who holds no permission.
   */
  async permissions(claim: unknown, principal: Principal | null, entity: ClaimedEntity): Promise<readonly string[]> {
    const credential = principal && credentialOf(principal);
    if (typeof claim !== 'string' || claim.length > 2 * MAX_PART_LENGTH + 1 || !principal || !credential) return [];
    const [callerPart, entityPart, ...rest] = claim.split(' ');
    if (rest.length > 0) return [];
    // Parts verified before (the same ones come back on every request until renewed) are read at once, without a
    // promise each: with 100 members, that was most of identity's time in this class (npm run profile:summary).
    const knownCaller = this.known(callerPart);
    const knownEntity = entityPart === undefined ? null : this.known(entityPart);
    const [caller, belongs] =
      knownCaller !== undefined && knownEntity !== undefined
        ? [knownCaller, knownEntity]
        : await Promise.all([
            knownCaller !== undefined ? knownCaller : this.together.load(callerPart),
            entityPart === undefined || knownEntity !== undefined ? knownEntity : this.together.load(entityPart),
          ]);
    const now = Date.now();
    if (caller?.kind !== 'caller' || caller.expiresAtMs <= now || caller.credential !== credential || caller.userId !== principal.userId) return [];
    // Without an entity part, the entity must be the organization itself.
    const organizationId =
      entityPart === undefined
        ? entity.typename === 'Organization'
          ? entity.id
          : null
        : belongs?.kind === 'entity' && belongs.expiresAtMs > now && belongs.entity === nameOf(entity)
          ? belongs.organizationId
          : null;
    return organizationId === caller.organizationId ? caller.permissions : [];
  }

  /** What `part` is known to say (null: that it is worthless); undefined when it has not been verified (or was forgotten). */
  private known(part: string): VerifiedPart | null | undefined {
    const known = this.verified.get(part);
    return known === undefined ? undefined : known || null;
  }

  private async read(part: string): Promise<VerifiedPart | null> {
    const known = this.known(part);
    if (known !== undefined) return known;
    if (part.length > MAX_PART_LENGTH) return null;
    try {
      const { payload, protectedHeader } = await jwtVerify(part, this.keys, { issuer: this.issuer, algorithms: [SIGNING_ALGORITHM], requiredClaims: ['exp'] });
      const verified = partOf(protectedHeader.typ, payload, (payload.exp as number) * 1000);
      this.verified.set(part, verified ?? false);
      return verified;
    } catch (error) {
      // A key ID not published (yet, or any more) is not remembered: the keys may be fetched again for the next one.
      if (error instanceof joseErrors.JWKSNoMatchingKey) return null;
      // The issuer's keys could not be fetched: a fault of ours, not the caller's, and not a refusal.
      if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) throw error;
      if (error instanceof joseErrors.JOSEError) {
        this.verified.set(part, false);
        return null;
      }
      throw error;
    }
  }
}
