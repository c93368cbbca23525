// Personal access tokens, created, listed and revoked through the API as a script's owner would.
import type { Api } from './api';
import { expectOk } from './expect';

/** A personal access token as its owner lists it: never its secret. */
export interface ListedToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

const TOKEN_FIELDS = 'id name prefix createdAt lastUsedAt expiresAt revokedAt';
const CREATE_TOKEN = `mutation($name: String!, $expiresAt: DateTime) {
  createPersonalAccessToken(name: $name, expiresAt: $expiresAt) { token personalAccessToken { ${TOKEN_FIELDS} } }
}`;

/** Asks, with this credential, for a new token; the answer may be a refusal. */
export const attemptCreateToken = (api: Api, user: { token: string }, name: string, expiresAt: string | null = null) =>
  api.request<{ createPersonalAccessToken: { token: string; personalAccessToken: ListedToken } }>(CREATE_TOKEN, { name, expiresAt }, user.token);

/** A new token of the user: its secret, shown only now, and its ID. */
export async function createToken(api: Api, user: { token: string }, name = 'CI deploys'): Promise<{ secret: string; id: string }> {
  const created = expectOk(await attemptCreateToken(api, user, name)).createPersonalAccessToken;
  return { secret: created.token, id: created.personalAccessToken.id };
}

/** The user's live tokens. */
export async function listTokens(api: Api, user: { token: string }): Promise<ListedToken[]> {
  return expectOk(await api.request<{ viewer: { personalAccessTokens: ListedToken[] } }>(`{ viewer { personalAccessTokens { ${TOKEN_FIELDS} } } }`, {}, user.token))
    .viewer.personalAccessTokens;
}

/** Asks, with this credential, to revoke the token `id`; the answer may be a refusal. */
export const revokeToken = (api: Api, user: { token: string }, id: string) =>
  api.request<{ revokePersonalAccessToken: ListedToken }>(`mutation($id: ID!) { revokePersonalAccessToken(id: $id) { ${TOKEN_FIELDS} } }`, { id }, user.token);
