// Speaks GraphQL over HTTP as a client would: to our gateway, to another router, or straight to one subgraph.
export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Posts a GraphQL body with these headers, and keeps the HTTP status beside the answer. */
export async function postGraphQL<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  let json: Omit<GraphQLResponse<T>, 'status'>;
  try {
    json = JSON.parse(text) as Omit<GraphQLResponse<T>, 'status'>;
  } catch {
    throw new Error(`Not JSON (HTTP ${response.status}): ${text.slice(0, 300)}`);
  }
  return { status: response.status, ...json };
}

/** One GraphQL endpoint, as the harness's helpers use it. */
export interface Api {
  url: string;
  /** Sends a request, with `token` as the bearer credential if given. */
  request<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  /** Sends a request with these headers, such as a User-Agent or an X-Forwarded-For. */
  send<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> | undefined, headers: Record<string, string>): Promise<GraphQLResponse<T>>;
}

/** The GraphQL endpoint at `url`; `headers` go with every request (a router secret, for one). */
export function apiAt(url: string, headers: Record<string, string> = {}): Api {
  const send: Api['send'] = (query, variables, extra) => postGraphQL(url, { query, variables }, { ...headers, ...extra });
  return {
    url,
    send,
    request: (query, variables, token) => send(query, variables, token ? { authorization: `Bearer ${token}` } : {}),
  };
}
