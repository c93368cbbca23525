// Users and their sessions, arranged through the API as a client would: signing up, logging in, refreshing.
import type { Api } from './api';
import { expectOk } from './expect';
import { unique } from './unique';

/** The password every test user signs up with. */
export const PASSWORD = 'correct horse battery';

/** What signUp, logIn and refreshSession return. */
export interface AuthPayload {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: { id: string; email: string; name: string };
}

/** A user signed in on one device: the account, its password, and that session's tokens. */
export interface SignedInUser {
  id: string;
  email: string;
  password: string;
  /** The session's access token, sent as the bearer credential. */
  token: string;
  refreshToken: string;
}

const PAYLOAD = 'accessToken accessTokenExpiresAt refreshToken user { id email name }';
const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { ${PAYLOAD} } }`;
const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { ${PAYLOAD} } }`;
const REFRESH = `mutation($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${PAYLOAD} } }`;

/** Asks to sign up with this input; the answer may be a refusal. */
export const attemptSignUp = (api: Api, input: { email: string; password: string; name: string }, headers: Record<string, string> = {}) =>
  api.send<{ signUp: AuthPayload }>(SIGN_UP, { input }, headers);

/** Asks to log in with this email and password; the answer may be a refusal. */
export const attemptLogIn = (api: Api, email: string, password: string, headers: Record<string, string> = {}) =>
  api.send<{ logIn: AuthPayload }>(LOG_IN, { input: { email, password } }, headers);

/** Trades a refresh token for a new pair; the answer may be a refusal. */
export const refresh = (api: Api, refreshToken: string) => api.request<{ refreshSession: AuthPayload }>(REFRESH, { refreshToken });

const signedIn = (payload: AuthPayload, password: string): SignedInUser => ({
  id: payload.user.id,
  email: payload.user.email,
  password,
  token: payload.accessToken,
  refreshToken: payload.refreshToken,
});

/** A new account with a fresh email, signed in: its first session. */
export async function signUp(api: Api, name = 'Test User', headers: Record<string, string> = {}): Promise<SignedInUser> {
  const input = { email: `${unique('user')}@example.com`, password: PASSWORD, name };
  return signedIn(expectOk(await attemptSignUp(api, input, headers)).signUp, PASSWORD);
}

/** A new account with the given address, signed in. */
export async function signUpAs(api: Api, email: string, name = 'Test User'): Promise<SignedInUser> {
  return signedIn(expectOk(await attemptSignUp(api, { email, password: PASSWORD, name })).signUp, PASSWORD);
}

/** Another session of the same user, as from a second device. */
export async function logIn(api: Api, user: { email: string; password: string }, headers: Record<string, string> = {}): Promise<SignedInUser> {
  return signedIn(expectOk(await attemptLogIn(api, user.email, user.password, headers)).logIn, user.password);
}

/** A session as its user lists it. */
export interface ListedSession {
  id: string;
  current: boolean;
  userAgent: string | null;
  ipAddress: string | null;
  lastUsedAt: string;
}

export const SESSIONS = '{ viewer { sessions { id current userAgent ipAddress lastUsedAt } } }';

/** The user's active sessions, as they see them with this session's token. */
export async function sessionsOf(api: Api, user: { token: string }): Promise<ListedSession[]> {
  return expectOk(await api.request<{ viewer: { sessions: ListedSession[] } }>(SESSIONS, {}, user.token)).viewer.sessions;
}

/** The ID of the session whose token this is. */
export async function currentSessionId(api: Api, user: { token: string }): Promise<string> {
  return (await sessionsOf(api, user)).find((session) => session.current)!.id;
}

/** Asks to end the session whose token this is; the answer may be a refusal. */
export const logOut = (api: Api, user: { token: string }) =>
  api.request<{ logOut: { id: string; current: boolean; revokedAt: string | null } }>('mutation { logOut { id current revokedAt } }', {}, user.token);

/** Asks, as `user`, to end the session `id`; the answer may be a refusal. */
export const revokeSession = (api: Api, user: { token: string }, id: string) =>
  api.request<{ revokeSession: { id: string; current: boolean; revokedAt: string | null } }>(
    'mutation($id: ID!) { revokeSession(id: $id) { id current revokedAt } }',
    { id },
    user.token,
  );
