// Permission claims without a network: a claim grants its permissions to its own caller, for entities of its own scope, until it expires.
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Principal } from './auth';
import { newId } from './ids';
import { PERMISSIONS } from './permissions';
import { encodePermissions } from './permission-bits';
import { callerPartPayload, ClaimIssuer, ClaimVerifier, credentialOf, type ClaimedEntity } from './permission-claims';
import type { ActiveKey } from './signing-keys';

const ada: Principal = { userId: 'usr_ada', kind: 'session', sessionId: 'ses_ada_laptop', email: 'ada@acme.example', emailVerified: false };
const adaOnHerPhone: Principal = { userId: 'usr_ada', kind: 'session', sessionId: 'ses_ada_phone', email: 'ada@acme.example', emailVerified: false };
const adaInCi: Principal = { userId: 'usr_ada', kind: 'personal_access_token', tokenId: 'tok_ada_ci', email: 'ada@acme.example', emailVerified: false };
const grace: Principal = { userId: 'usr_grace', kind: 'session', sessionId: 'ses_grace', email: 'grace@acme.example', emailVerified: false };
const acme: ClaimedEntity = { typename: 'Organization', id: 'org_acme' };
const globex: ClaimedEntity = { typename: 'Organization', id: 'org_globex' };
const ACME = acme.id;
const GLOBEX = globex.id;
const storefront: ClaimedEntity = { typename: 'Project', id: 'prj_storefront' };
const analytics: ClaimedEntity = { typename: 'Project', id: 'prj_analytics' };
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

const issue = async (...args: Parameters<ClaimIssuer['issue']>) => (await issuer.issue(...args))!;
const partsOf = (claim: string) => claim.split(' ');

/** A part made by hand with organizations' real key, to say what the issuer never would. */
const handMade = (payload: Record<string, unknown>, options: { expiresInSeconds?: number; typ?: string; issuer?: string; key?: Signer } = {}) => {
  const key = options.key ?? organizations;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: key.active.kid, typ: options.typ ?? 'perm+jwt' })
    .setIssuer(options.issuer ?? 'organizations')
    .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 60))
    .sign(key.active.privateKey);
};
const adaInAcme = { ...callerPartPayload('usr_ada', 'ses_ada_laptop', ACME, BILLING) };

describe('a permission claim', () => {
  it('grants its permissions to the caller it was issued to, in its scope and for entities of it', async () => {
    expect(await verifier.permissions(await issue(ada, ACME, BILLING), ada, acme)).toEqual(BILLING);
    expect(await verifier.permissions(await issue(ada, ACME, BILLING, storefront), ada, storefront)).toEqual(BILLING);
  });

  it('binds a personal access token as it binds a session', async () => {
    expect(credentialOf(adaInCi)).toBe('tok_ada_ci');
    const claim = await issue(adaInCi, ACME, BILLING);
    expect(await verifier.permissions(claim, adaInCi, acme)).toEqual(BILLING);
    expect(await verifier.permissions(claim, ada, acme)).toEqual([]);
  });

  it('grants nothing to another caller, even the same user on another session', async () => {
    const claim = await issue(ada, ACME, BILLING, storefront);
    expect(await verifier.permissions(claim, grace, storefront)).toEqual([]);
    expect(await verifier.permissions(claim, adaOnHerPhone, storefront)).toEqual([]);
    expect(await verifier.permissions(claim, null, storefront)).toEqual([]);
  });

  it('grants nothing for another entity, nor for an entity of another scope paired with it', async () => {
    const inAcme = await issue(ada, ACME, BILLING, storefront);
    expect(await verifier.permissions(inAcme, ada, analytics)).toEqual([]);
    expect(await verifier.permissions(inAcme, ada, { typename: 'Organization', id: 'prj_storefront' })).toEqual([]);
    // Ada's permissions in Acme, with Grace's proof that Analytics belongs to Globex.
    const [adaInAcme] = partsOf(await issue(ada, ACME, BILLING));
    const [, analyticsInGlobex] = partsOf(await issue(grace, GLOBEX, BILLING, analytics));
    expect(await verifier.permissions(`${adaInAcme} ${analyticsInGlobex}`, ada, analytics)).toEqual([]);
    // Ada's permissions in Acme alone, for an entity that is not Acme.
    expect(await verifier.permissions(adaInAcme, ada, storefront)).toEqual([]);
    expect(await verifier.permissions(adaInAcme, ada, globex)).toEqual([]);
  });

  it('grants nothing once either part has expired', async () => {
    expect(await verifier.permissions(await handMade(adaInAcme, { expiresInSeconds: -1 }), ada, acme)).toEqual([]);
    const [callerPart] = partsOf(await issue(ada, ACME, BILLING, storefront));
    const expiredEntity = await handMade({ ent: 'Project:prj_storefront', org: ACME }, { typ: 'ent+jwt', expiresInSeconds: -1 });
    expect(await verifier.permissions(`${callerPart} ${expiredEntity}`, ada, storefront)).toEqual([]);
  });

  it("grants nothing when not signed with the issuer's published keys, or altered", async () => {
    const mallory = await signer('sgk_organizations');
    expect(await verifier.permissions(await handMade(adaInAcme, { key: mallory }), ada, acme)).toEqual([]);
    const [header, , signature] = (await handMade(adaInAcme)).split('.');
    const altered = Buffer.from(JSON.stringify({ ...adaInAcme, p: encodePermissions([...BILLING, 'owners:manage']), iss: 'organizations', exp: 9e9 })).toString('base64url');
    expect(await verifier.permissions(`${header}.${altered}.${signature}`, ada, acme)).toEqual([]);
  });

  it('takes each part only for what it is: not from another issuer, not an access token, not one part for the other', async () => {
    expect(await verifier.permissions(await handMade(adaInAcme, { issuer: 'identity' }), ada, acme)).toEqual([]);
    expect(await verifier.permissions(await handMade(adaInAcme, { typ: 'at+jwt' }), ada, acme)).toEqual([]);
    const [callerPart, entityPart] = partsOf(await issue(ada, ACME, BILLING, storefront));
    expect(await verifier.permissions(`${entityPart} ${callerPart}`, ada, storefront)).toEqual([]);
    expect(await verifier.permissions(`${callerPart} ${entityPart} ${entityPart}`, ada, storefront)).toEqual([]);
  });

  it.each([
    ['missing', undefined],
    ['not a string', ['billing:read']],
    ['not a JWT', 'billing:read'],
    ['too long to be one', 'x'.repeat(10_000)],
    ['without permissions', null],
  ])('grants nothing when %s', async (_case, claim) => {
    const value = claim === null ? await handMade({ sub: 'usr_ada', cid: 'ses_ada_laptop', org: ACME }) : claim;
    expect(await verifier.permissions(value, ada, acme)).toEqual([]);
  });
});

describe('verifying claims', () => {
  it('verifies each part once however often it comes back, a forgery included, and still checks who presents it', async () => {
    let verifications = 0;
    const keys = createLocalJWKSet({ keys: [organizations.jwk] });
    const counting = new ClaimVerifier((header, token) => {
      verifications++;
      return keys(header, token);
    }, 'organizations');
    const claim = await issue(ada, ACME, BILLING, storefront);
    const forged = `${partsOf(claim)[0]} ${partsOf(await handMade({ ent: 'Project:prj_storefront', org: ACME }, { key: await signer('sgk_organizations'), typ: 'ent+jwt' }))[0]}`;
    for (let round = 0; round < 3; round++) {
      expect(await counting.permissions(claim, ada, storefront)).toEqual(BILLING);
      expect(await counting.permissions(forged, ada, storefront)).toEqual([]);
      expect(await counting.permissions(claim, grace, storefront)).toEqual([]);
      expect(await counting.permissions(claim, ada, analytics)).toEqual([]);
    }
    expect(verifications).toBe(3);
  });
});

describe('issuing claims', () => {
  it('keeps each claim short, as one travels with every project and member of a page', async () => {
    // With IDs and a key ID as the services make them, and every permission: 407 and 350 characters, against 770 and
    // 374 when permissions were named and the organization was an entity's name.
    const real = new ClaimIssuer({ active: { ...organizations.active, kid: newId('sgk') } }, 'organizations');
    const owner = { ...grace, userId: newId('usr'), sessionId: newId('ses') };
    const claim = await real.issue(owner, newId('org'), Object.keys(PERMISSIONS), { typename: 'Project', id: newId('prj') });
    const [callerPart, entityPart] = partsOf(claim!);
    expect(callerPart.length).toBeLessThanOrEqual(410);
    expect(entityPart.length).toBeLessThanOrEqual(355);
  });

  it('adds no entity part for the organization itself', async () => {
    expect(partsOf(await issue(ada, ACME, BILLING, acme))).toHaveLength(1);
    expect(partsOf(await issue(ada, ACME, BILLING, globex))).toHaveLength(2);
  });

  it('states nothing for an anonymous caller, or one without permissions', async () => {
    expect(await issuer.issue(null, ACME, BILLING)).toBeNull();
    expect(await issuer.issue(ada, ACME, [])).toBeNull();
  });

  it("signs the caller's part once per credential, scope and permissions, and an entity's part once for every caller", async () => {
    const [adaPart] = partsOf(await issue(ada, ACME, BILLING));
    const [sameAdaPart, storefrontPart] = partsOf(await issue(ada, ACME, BILLING, storefront));
    expect(sameAdaPart).toBe(adaPart);
    const [gracePart, sameStorefrontPart] = partsOf(await issue(grace, ACME, BILLING, storefront));
    expect(sameStorefrontPart).toBe(storefrontPart);
    expect(gracePart).not.toBe(adaPart);
    expect(partsOf(await issue(ada, ACME, ['organization:read']))[0]).not.toBe(adaPart);
    expect(partsOf(await issue(adaOnHerPhone, ACME, BILLING))[0]).not.toBe(adaPart);
  });

  it('answers at once, without a promise, once both parts are signed', async () => {
    const fresh = new ClaimIssuer(organizations, 'organizations');
    const first = fresh.issue(ada, ACME, BILLING, storefront);
    expect(first).toBeInstanceOf(Promise);
    const claim = await first;
    expect(fresh.issue(ada, ACME, BILLING, storefront)).toBe(claim);
    expect(fresh.issue(ada, ACME, BILLING)).toBe(partsOf(claim!)[0]);
  });

  it('signs a part again after its signing failed', async () => {
    const keys = { active: { kid: organizations.active.kid, privateKey: {} as CryptoKey } };
    const flaky = new ClaimIssuer(keys, 'organizations');
    await expect(flaky.issue(grace, GLOBEX, BILLING)).rejects.toThrow();
    keys.active = organizations.active;
    expect(await verifier.permissions(await flaky.issue(grace, GLOBEX, BILLING), grace, globex)).toEqual(BILLING);
  });

  it("issues the caller's part for two minutes, so a reused one still has 30 seconds left when last handed out", async () => {
    const [part] = partsOf(await issue(grace, GLOBEX, BILLING));
    const { exp } = JSON.parse(Buffer.from(part.split('.')[1], 'base64url').toString()) as { exp: number };
    expect(exp - Date.now() / 1000).toBeGreaterThan(90);
    expect(exp - Date.now() / 1000).toBeLessThanOrEqual(120);
  });
});
