// Identity's access rules, asked directly: a user's private fields are for that user alone.
import { ErrorCode, type AppError, type Principal } from '@orgapi/shared';
import { authorizeSelf } from './access';
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
