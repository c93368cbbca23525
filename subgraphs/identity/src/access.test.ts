// Identity's access rules, asked directly: a user's private fields are for that user alone, their account for fellow members.
import { createLocalJWKSet, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { ClaimIssuer, ClaimVerifier, ErrorCode, type AppError, type Principal } from '@orgapi/shared';
import { authorizeSelf, canSee } from './access';
import type { User } from './users/user.type';

const ada: User = { id: 'usr_ada', email: 'ada@acme.example', name: 'Ada', emailVerified: false, emailVerifiedAt: null, createdAt: new Date(0) };
const asCaller = (userId: string | null): { principal: Principal | null } => ({ principal: userId ? { userId, kind: 'session', sessionId: 'ses_1', email: 'caller@acme.example', emailVerified: true } : null });

const codeOf = (attempt: () => unknown) => {
  try {
    attempt();
  } catch (error) {
    return (error as AppError).extensions.code;
  }
  return null;
};

describe('authorizeSelf', () => {
  it('lets users see their own sessions and tokens', () => {
    expect(authorizeSelf(asCaller('usr_ada'), ada, 'sessions')).toBe('usr_ada');
  });

  it('refuses anyone else', () => {
    expect(codeOf(() => authorizeSelf(asCaller('usr_grace'), ada, 'sessions'))).toBe(ErrorCode.FORBIDDEN);
  });

  it('asks an anonymous caller to sign in', () => {
    expect(codeOf(() => authorizeSelf(asCaller(null), ada, 'sessions'))).toBe(ErrorCode.UNAUTHENTICATED);
  });
});

describe('canSee', () => {
  let organizations: ClaimIssuer;
  let claims: ClaimVerifier;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    organizations = new ClaimIssuer({ active: { kid: 'sgk_1', privateKey: privateKey as CryptoKey } }, 'organizations');
    claims = new ClaimVerifier(createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'sgk_1', alg: 'ES256' }] }), 'organizations');
  });

  const grace = asCaller('usr_grace').principal;
  const sees = (caller: Principal | null, user: { id: string; viewerPermissionsClaim?: unknown }) => canSee({ principal: caller, claims }, user);

  it('lets users see themselves, with no claim', async () => {
    expect(await sees(asCaller('usr_ada').principal, { id: 'usr_ada' })).toBe(true);
  });

  const acme = 'org_acme';
  const memberOfAcme = (id: string) => [acme, ['members:read'], { typename: 'User', id }] as const;

  it('lets a caller see a user organizations says they share an organization with (members:read)', async () => {
    const claim = await organizations.issue(grace, ...memberOfAcme('usr_ada'));
    expect(await sees(grace, { id: 'usr_ada', viewerPermissionsClaim: claim })).toBe(true);
  });

  it('refuses anyone else: no claim, a claim for another user or granting something else, or no caller at all', async () => {
    const forLinus = await organizations.issue(grace, ...memberOfAcme('usr_linus'));
    const otherGrant = await organizations.issue(grace, acme, ['billing:read'], { typename: 'User', id: 'usr_ada' });
    const valid = await organizations.issue(grace, ...memberOfAcme('usr_ada'));
    expect(await sees(grace, { id: 'usr_ada' })).toBe(false);
    expect(await sees(grace, { id: 'usr_ada', viewerPermissionsClaim: forLinus })).toBe(false);
    expect(await sees(grace, { id: 'usr_ada', viewerPermissionsClaim: otherGrant })).toBe(false);
    expect(await sees(null, { id: 'usr_ada', viewerPermissionsClaim: valid })).toBe(false);
  });
});
