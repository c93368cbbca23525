// Probes of a credential: does identity accept it, does another service, and what the gateway answers a bad one.
import type { Api, GraphQLResponse } from './api';
import { codes, eventually } from './expect';
import { CREDENTIAL_CACHE_SECONDS, type TestGraph } from './graph';

/** `viewer { id }` with this token: the identity service's own check of the credential. */
export const viewer = (api: Api, token: string) => api.request<{ viewer: { id: string } | null }>('{ viewer { id } }', {}, token);

/** An organization by ID: answered by the organizations service alone, which checks the credential through its cache. */
export const organization = (api: Api, token: string, id: string) =>
  api.request<{ organization: { id: string } | null }>('query($id: ID!) { organization(id: $id) { id } }', { id }, token);

/** How long a revocation may take to reach services other than identity: their cache, and a little beyond it. */
const PROPAGATION_MS = Math.max(5000, CREDENTIAL_CACHE_SECONDS * 1000 * 3);

const isRefused = (response: GraphQLResponse<unknown>) => codes(response)?.[0] === 'UNAUTHENTICATED';

/** Repeats `probe` until the credential it carries is refused, for at most PROPAGATION_MS; returns the last answer. */
export const untilRefused = <T>(probe: () => Promise<GraphQLResponse<T>>) => eventually(probe, isRefused, PROPAGATION_MS);

/** Posts `{ viewer { id } }` to the gateway with this Authorization header, keeping the HTTP status, the challenge and the raw text. */
export async function askGateway(graph: TestGraph, authorization: string) {
  const response = await fetch(graph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: '{ viewer { id } }' }),
  });
  const text = await response.text();
  return { status: response.status, challenge: response.headers.get('www-authenticate'), text, body: JSON.parse(text) as GraphQLResponse<unknown> };
}
