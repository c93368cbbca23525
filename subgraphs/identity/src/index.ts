// Starts the identity service: config → database → schema → server.
import { z } from 'zod';
import {
  badInput,
  claimVerifierEnv,
  ClaimVerifier,
  clientOf,
  CredentialVerifier,
  EventRelay,
  findUnsafeText,
  mailEnv,
  keyIntrospectionUrl,
  organizationsEndpoints,
  remoteIntrospection,
  jwksRoute,
  port,
  preparedReads,
  readBody,
  runService,
  subgraphService,
  sendJson,
  startOutboxWorker,
  signingKeyEnv,
  SigningKeys,
  startSubgraph,
  subgraphEnv,
  type Introspect,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@orgapi/shared';
import { EmailLinkService } from './email-links/email-link.service';
import { EmailVerificationService } from './email-verification/email-verification.service';
import { migrations } from './migrations';
import { PasswordResetService } from './password-reset/password-reset.service';
import { buildIdentitySchema } from './schema';
import { AuthService } from './sessions/auth.service';
import { LoginThrottle } from './sessions/login-throttle';
import { activeSessionsLoader } from './sessions/session.loader';
import { SessionService } from './sessions/session.service';
import { KeyVault } from './signing-keys/key-vault';
import { personalAccessTokensLoader } from './tokens/personal-access-token.loader';
import { PersonalAccessTokenService } from './tokens/personal-access-token.service';
import { userLoader } from './users/user.loader';
import { UserService } from './users/user.service';
import { userLookupRoute } from './users/user-lookup';
import { userSearchRoute } from './users/user-search';

const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

// This service's entry in the one list of services: its name (also its PostgreSQL schema) and default port.
const service = subgraphService('identity');

export const identityEnv = z.object({
  ...subgraphEnv,
  ...mailEnv,
  ...signingKeyEnv,
  ...claimVerifierEnv,
  // Where identity tells organizations of users' events; organizations is the only subscriber.
  USER_EVENTS_URL: z.url('USER_EVENTS_URL must be the URL of the organizations service route for user events').default(organizationsEndpoints().USER_EVENTS_URL),
  KEY_INTROSPECTION_URL: keyIntrospectionUrl,
  PORT: port(service.port),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  LOGIN_MAX_FAILURES_PER_EMAIL: count(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: count(50),
  LOGIN_BLOCK_SECONDS: count(900),
  EMAIL_VERIFICATION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
  // The most user IDs organizations may send in one search: keep it at least its MAX_MEMBERS_PER_ORGANIZATION.
  USER_SEARCH_MAX_USERS: count(1_000),
});
export type IdentityConfig = z.infer<typeof identityEnv>;

export const identitySubgraph = {
  name: service.name,
  // Every row is read and written with SQL (mappers in the loaders), so TypeORM needs no entity classes.
  database: { schema: service.name, entities: [], migrations },
  buildSchema: buildIdentitySchema,
  async setup(db, config, changes) {
    const keys = await SigningKeys.load(db, config.SIGNING_KEY_ROTATION_DAYS, new KeyVault(config.SIGNING_KEY_SECRET));
    const users = new UserService(db);
    // Whether a session is live: a kept read, trusted once every change committed before the request was heard.
    const sessions = new SessionService(db, changes);
    const tokens = new PersonalAccessTokenService(db);
    const throttle = new LoginThrottle(db, {
      maxFailuresPerEmail: config.LOGIN_MAX_FAILURES_PER_EMAIL,
      maxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
      blockSeconds: config.LOGIN_BLOCK_SECONDS,
    });
    const links = new EmailLinkService(config.APP_URL);
    const emailVerification = new EmailVerificationService(db, users, links, config.EMAIL_VERIFICATION_TTL_HOURS * 3600);
    const passwordResets = new PasswordResetService(db, users, sessions, throttle, links, config.PASSWORD_RESET_TTL_MINUTES * 60);
    const auth = new AuthService(db, users, sessions, throttle, keys, config.ACCESS_TOKEN_TTL_SECONDS, emailVerification);
    // Sends what the flows above queue in the outbox (verification and reset emails), on every replica.
    const outbox = startOutboxWorker(db, config);
    // Tells organizations what it must know of users (an address verified), after the change commits.
    const events = new EventRelay(db, config.USER_EVENTS_URL, config.ROUTER_SECRET, { maxAttempts: 20, retryBaseSeconds: config.MAIL_RETRY_BASE_SECONDS });
    events.start();
    // Whether the caller may see another user is a fact of organizations, which signs it (User.viewerPermissionsClaim).
    const claims = ClaimVerifier.remote(config.CLAIMS_JWKS_URL, 'organizations');
    // Identity answers for its own sessions and tokens from its own tables. Its own requests' sessions are a kept read,
    // trusted once every change committed before the request has been heard; the other services' questions, which
    // they cache themselves, and tokens, whose use is recorded, are read every time.
    const introspectWith =
      (reads: 'kept' | 'fresh'): Introspect =>
      (request) =>
        'sessionId' in request ? sessions.status(request.sessionId, reads) : tokens.status(request.token);
    const introspect = introspectWith('fresh');
    // API keys are organizations' to judge. Identity has nothing for them (every field needs a person), so it asks
    // uncached: a key is refused here on the next request after its revocation, at the cost of a call it rarely makes.
    const keyIntrospection = remoteIntrospection(config.KEY_INTROSPECTION_URL, config.ROUTER_SECRET, 0);
    // Loaders read through prepared statements, parsed and planned once per connection, their results kept until the
    // schema's tables change (shared/src/prepared-reads.ts).
    const reads = preparedReads(db, changes);
    return {
      verifier: new CredentialVerifier(keys.getKey, introspectWith('kept'), (secret) => keyIntrospection({ token: secret })),
      perRequest: (_principal, req, requestReads) => {
        const kept = reads.forRequest(requestReads.arrivedAt, requestReads.readCache);
        return {
          users,
          auth,
          sessions,
          tokens,
          emailVerification,
          passwordResets,
          claims,
          client: clientOf(req),
          loaders: { user: userLoader(kept), sessions: activeSessionsLoader(kept), personalAccessTokens: personalAccessTokensLoader(kept) },
        };
      },
      routes: {
        '/.well-known/jwks.json': jwksRoute(keys),
      },
      internalRoutes: {
        // RFC 7662-style: the other services ask whether a session or personal access token is live.
        '/internal/introspect': async (req, res) => {
          let body: { sessionId?: unknown; token?: unknown } | null;
          try {
            body = JSON.parse(await readBody(req)) as typeof body;
          } catch {
            body = null;
          }
          // A NUL would reach PostgreSQL and fail there: refuse it as the bad question it is.
          const unsafe = findUnsafeText(body);
          if (unsafe) throw badInput(`The ${unsafe.path.join('.') || 'body'} contains ${unsafe.problem}.`, unsafe.path.join('.') || undefined);
          if (typeof body?.sessionId === 'string') return sendJson(res, 200, await introspect({ sessionId: body.sessionId }));
          if (typeof body?.token === 'string') return sendJson(res, 200, await introspect({ token: body.token }));
          throw badInput('Send {"sessionId": …} or {"token": …}.');
        },
        // Organizations asks which of its members match a search by name or email (Organization.members(filter)).
        '/internal/user-search': userSearchRoute(db, config.USER_SEARCH_MAX_USERS),
        // Organizations asks which users have an address it invites (inviteMember refuses inviting a member).
        '/internal/user-lookup': userLookupRoute(db),
      },
      async stop() {
        keys.stop();
        await outbox.stop();
        await events.stop();
      },
    };
  },
} satisfies SubgraphDefinition<IdentityConfig, object>;

export function startIdentity(config: IdentityConfig): Promise<RunningSubgraph> {
  return startSubgraph(identitySubgraph, config);
}

export * from './demo';
export { ensureSigningKey, SIGNING_DELAY_MS } from '@orgapi/shared';
export { KeyVault } from './signing-keys/key-vault';
// Seeds that write users in bulk (scripts/src/bench-seed.ts) hash with identity's own cost, once.
export { hashPassword } from './users/passwords';

if (require.main === module) runService(service.name, identityEnv, startIdentity);
