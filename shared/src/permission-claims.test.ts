// Permission claims without a network: a claim grants its permissions to its own caller, for its own entity, until it expires.
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Principal } from './auth';
import { ClaimIssuer, ClaimVerifier, credentialOf, type ClaimedEntity } from './permission-claims';
import type { ActiveKey } from './signing-keys';

const ada: Principal = { userId: 'usr_ada', kind: 'session', sessionId: 'ses_ada_laptop' };
const adaOnHerPhone: Principal = { userId: 'usr_ada', kind: 'session', sessionId: 'ses_ada_phone' };
const adaInCi: Principal = { userId: 'usr_ada', kind: 'personal_access_token', tokenId: 'tok_ada_ci' };
const grace: Principal = { userId: 'usr_grace', kind: 'session', sessionId: 'ses_grace' };
const acme: ClaimedEntity = { typename: 'Organization', id: 'org_acme' };
const storefront: ClaimedEntity = { typename: 'Project', id: 'prj_storefront' };
const globexAnalytics: ClaimedEntity = { typename: 'Project', id: 'prj_globex_analytics' };
const BILLING = ['organization:read', 'billing:read'];

interface Signer {
  active: ActiveKey;
  jwk: JWK;
}

async function signer(kid: string): Promise<Signer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { active: { kid, privateKey: privateKey as CryptoKey }, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
}

let organizations: Signer;
let issuer: ClaimIssuer;
let verifier: ClaimVerifier;

beforeAll(async () => {
  organizations = await signer('sgk_organizations');
  issuer = new ClaimIssuer(organizations, 'organizations');
  verifier = new ClaimVerifier(createLocalJWKSet({ keys: [organizations.jwk] }), 'organizations');
});

/** A claim made by hand with organizations' real key, to say what the issuer never would. */
const handMade = (payload: Record<string, unknown>, options: { expiresInSeconds?: number; typ?: string; issuer?: string; key?: Signer } = {}) => {
  const key = options.key ?? organizations;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: key.active.kid, typ: options.typ ?? 'permissions+jwt' })
    .setIssuer(options.issuer ?? 'organizations')
    .setSubject('usr_ada')
    .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 60))
    .sign(key.active.privateKey);
};
const adasClaim = { cid: 'ses_ada_laptop', ent: 'Organization:org_acme', perm: BILLING };

describe('a permission claim', () => {
  it('grants its permissions to the caller it was issued to, for the entity it names', async () => {
    const claim = await issuer.issue(ada, acme, BILLING);
    expect(await verifier.permissions(claim, ada, acme)).toEqual(BILLING);
  });

  it('binds a personal access token as it binds a session', async () => {
    expect(credentialOf(adaInCi)).toBe('tok_ada_ci');
    const claim = await issuer.issue(adaInCi, acme, BILLING);
    expect(await verifier.permissions(claim, adaInCi, acme)).toEqual(BILLING);
    expect(await verifier.permissions(claim, ada, acme)).toEqual([]);
  });

  it('grants nothing to another caller, even the same user on another session', async () => {
    const claim = await issuer.issue(ada, acme, BILLING);
    expect(await verifier.permissions(claim, grace, acme)).toEqual([]);
    expect(await verifier.permissions(claim, adaOnHerPhone, acme)).toEqual([]);
    expect(await verifier.permissions(claim, null, acme)).toEqual([]);
  });

  it('grants nothing for another entity, even one of the same organization', async () => {
    const claim = await issuer.issue(ada, storefront, BILLING);
    expect(await verifier.permissions(claim, ada, globexAnalytics)).toEqual([]);
    expect(await verifier.permissions(claim, ada, { typename: 'Organization', id: 'prj_storefront' })).toEqual([]);
  });

  it('grants nothing once expired', async () => {
    expect(await verifier.permissions(await handMade(adasClaim, { expiresInSeconds: -1 }), ada, acme)).toEqual([]);
  });

  it("grants nothing when it was not signed with the issuer's published keys, or was altered", async () => {
    const mallory = await signer('sgk_organizations');
    expect(await verifier.permissions(await handMade(adasClaim, { key: mallory }), ada, acme)).toEqual([]);
    const [header, , signature] = (await handMade(adasClaim)).split('.');
    const altered = Buffer.from(JSON.stringify({ ...adasClaim, perm: [...BILLING, 'owners:manage'], sub: 'usr_ada', iss: 'organizations', exp: 9e9 })).toString('base64url');
    expect(await verifier.permissions(`${header}.${altered}.${signature}`, ada, acme)).toEqual([]);
  });

  it('is not a claim when another issuer or another kind of token: an access token passes for no claim', async () => {
    expect(await verifier.permissions(await handMade(adasClaim, { issuer: 'identity' }), ada, acme)).toEqual([]);
    expect(await verifier.permissions(await handMade(adasClaim, { typ: 'at+jwt' }), ada, acme)).toEqual([]);
  });

  it.each([
    ['missing', undefined],
    ['not a string', ['billing:read']],
    ['not a JWT', 'billing:read'],
    ['too long to be one', 'x'.repeat(10_000)],
    ['without permissions', null],
  ])('grants nothing when %s', async (_case, claim) => {
    const value = claim === null ? await handMade({ cid: 'ses_ada_laptop', ent: 'Organization:org_acme' }) : claim;
    expect(await verifier.permissions(value, ada, acme)).toEqual([]);
  });
});

describe('issuing claims', () => {
  it('states nothing for an anonymous caller, or one without permissions', async () => {
    expect(await issuer.issue(null, acme, BILLING)).toBeNull();
    expect(await issuer.issue(ada, acme, [])).toBeNull();
  });

  it('reuses a signed claim for the same caller, entity and permissions, and signs another when one differs', async () => {
    const first = await issuer.issue(ada, acme, BILLING);
    expect(await issuer.issue(ada, acme, BILLING)).toBe(first);
    expect(await issuer.issue(ada, acme, ['organization:read'])).not.toBe(first);
    expect(await issuer.issue(adaOnHerPhone, acme, BILLING)).not.toBe(first);
    expect(await issuer.issue(ada, storefront, BILLING)).not.toBe(first);
  });

  it('issues claims valid for two minutes, so a reused one still has 30 seconds left when last handed out', async () => {
    const claim = (await issuer.issue(grace, acme, BILLING))!;
    const { exp } = JSON.parse(Buffer.from(claim.split('.')[1], 'base64url').toString()) as { exp: number };
    expect(exp - Date.now() / 1000).toBeGreaterThan(90);
  });
});
