// Signing up, logging in and out, refreshing sessions, changing passwords: the flows that span accounts and sessions.
import type { DataSource } from 'typeorm';
import { forbidden, parseInput, type requireSession, type SigningKeys } from '@orgapi/shared';
import type { EmailVerificationService } from '../email-verification/email-verification.service';
import type { User } from '../users/user.type';
import type { UserService } from '../users/user.service';
import { issueAccessToken } from './access-token';
import type { LoginThrottle } from './login-throttle';
import { logInInput } from './session.input';
import type { Client, SessionService } from './session.service';
import type { AuthPayload, Session } from './session.type';

/** A caller signed in with a session (not a personal access token). */
type SessionPrincipal = ReturnType<typeof requireSession>;

export class AuthService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UserService,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottle,
    private readonly keys: SigningKeys,
    private readonly accessTokenTtlSeconds: number,
    private readonly emailVerification: EmailVerificationService,
  ) {}

  /** Creates the account, queues its verification email and starts its first session: all three, or none. */
  async signUp(input: unknown, client: Client): Promise<AuthPayload> {
    const { user, sessionId, refreshToken } = await this.db.transaction(async (tx) => {
      const user = await this.users.signUp(input, tx);
      await this.emailVerification.send(tx, user);
      return { user, ...(await this.sessions.start(user.id, client, tx)) };
    });
    return this.signedIn(user, sessionId, refreshToken);
  }

  async logIn(input: unknown, client: Client): Promise<AuthPayload> {
    const { email, password } = parseInput(logInInput, input);
    await this.throttle.beforeAttempt(email, client.ipAddress);
    let user: User;
    try {
      user = await this.users.authenticate(email, password);
    } catch (error) {
      await this.throttle.failed(email, client.ipAddress);
      throw error;
    }
    await this.throttle.succeeded(email);
    const { sessionId, refreshToken } = await this.db.transaction((tx) => this.sessions.start(user.id, client, tx));
    return this.signedIn(user, sessionId, refreshToken);
  }

  async refresh(refreshToken: string, client: Client, loadUser: (id: string) => Promise<User | null>): Promise<AuthPayload> {
    const session = await this.sessions.refresh(refreshToken, client);
    const user = await loadUser(session.userId);
    if (!user) throw forbidden('This account no longer exists.');
    return this.signedIn(user, session.sessionId, session.refreshToken);
  }

  /** Ends the session the caller's access token belongs to. */
  logOut(principal: SessionPrincipal): Promise<Session> {
    return this.sessions.revoke(principal.userId, principal.sessionId, 'logged_out');
  }

  /** Changes the password and ends every other session of the user. */
  async changePassword(principal: SessionPrincipal, input: unknown): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.users.changePassword(principal.userId, input, tx);
      await this.sessions.revokeOthers(principal.userId, principal.sessionId, tx);
    });
  }

  private async signedIn(user: User, sessionId: string, refreshToken: string): Promise<AuthPayload> {
    const { token, expiresAt } = await issueAccessToken(this.keys, user.id, sessionId, this.accessTokenTtlSeconds);
    return { accessToken: token, accessTokenExpiresAt: expiresAt, refreshToken, user };
  }
}
