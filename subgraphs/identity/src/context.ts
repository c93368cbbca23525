// What every identity resolver receives with each request.
import type { BaseRequestContext, ClaimVerifier } from '@orgapi/shared';
import type { EmailVerificationService } from './email-verification/email-verification.service';
import type { PasswordResetService } from './password-reset/password-reset.service';
import type { AuthService } from './sessions/auth.service';
import type { activeSessionsLoader } from './sessions/session.loader';
import type { Client, SessionService } from './sessions/session.service';
import type { personalAccessTokensLoader } from './tokens/personal-access-token.loader';
import type { PersonalAccessTokenService } from './tokens/personal-access-token.service';
import type { userLoader } from './users/user.loader';
import type { UserService } from './users/user.service';

export interface IdentityContext extends BaseRequestContext {
  users: UserService;
  auth: AuthService;
  sessions: SessionService;
  tokens: PersonalAccessTokenService;
  emailVerification: EmailVerificationService;
  passwordResets: PasswordResetService;
  /** Checks the claims organizations signs that the caller may see a user (a fellow member). */
  claims: ClaimVerifier;
  /** Where this request came from, for sessions and log-in throttling. */
  client: Client;
  loaders: {
    user: ReturnType<typeof userLoader>;
    sessions: ReturnType<typeof activeSessionsLoader>;
    personalAccessTokens: ReturnType<typeof personalAccessTokensLoader>;
  };
}
