// Signs users in and out through the gateway, keeping the whole AuthPayload: both tokens, as a client would.
import { postGraphQL, type GraphQLResponse, type TestGraph } from './graph';
import { unique } from './fixtures';

export const PASSWORD = 'correct horse battery';

export interface AuthPayload {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: { id: string; email: string };
}

/** One signed-in session of a user: what signUp, logIn or refreshSession returned. */
export interface SignedInSession {
  id: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

const PAYLOAD = 'accessToken accessTokenExpiresAt refreshToken user { id email }';
export const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { ${PAYLOAD} } }`;
export const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { ${PAYLOAD} } }`;
export const REFRESH = `mutation($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${PAYLOAD} } }`;

/** Sends a request to the gateway with extra headers, such as a User-Agent. */
export function requestAs<T>(graph: TestGraph, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(graph.url, { query, variables }, headers);
}

const asSession = (payload: AuthPayload, password: string): SignedInSession => ({
  id: payload.user.id,
  email: payload.user.email,
  password,
  token: payload.accessToken,
  refreshToken: payload.refreshToken,
});

/** A new account and its first session. */
export async function signUpSession(graph: TestGraph, headers: Record<string, string> = {}): Promise<SignedInSession> {
  const input = { email: `${unique('user')}@example.com`, password: PASSWORD, name: 'Test User' };
  const response = await requestAs<{ signUp: AuthPayload }>(graph, SIGN_UP, { input }, headers);
  if (!response.data) throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
  return asSession(response.data.signUp, PASSWORD);
}

/** Another session of the same user, as from a second device. */
export async function logInSession(graph: TestGraph, user: { email: string; password: string }, headers: Record<string, string> = {}): Promise<SignedInSession> {
  const response = await requestAs<{ logIn: AuthPayload }>(graph, LOG_IN, { input: { email: user.email, password: user.password } }, headers);
  if (!response.data) throw new Error(`logIn failed: ${JSON.stringify(response.errors)}`);
  return asSession(response.data.logIn, user.password);
}

export const logIn = (graph: TestGraph, email: string, password: string) => graph.request<{ logIn: AuthPayload }>(LOG_IN, { input: { email, password } });
export const refresh = (graph: TestGraph, refreshToken: string) => graph.request<{ refreshSession: AuthPayload }>(REFRESH, { refreshToken });

/** `viewer { id }` with this token: the identity service's own check of the credential. */
export const viewer = (graph: TestGraph, token: string) => graph.request<{ viewer: { id: string } | null }>('{ viewer { id } }', {}, token);

/** An organization by ID: answered by the organizations service alone, which checks the credential through its cache. */
export const organization = (graph: TestGraph, token: string, id: string) =>
  graph.request<{ organization: { id: string } | null }>('query($id: ID!) { organization(id: $id) { id } }', { id }, token);
