// What a load test says to the graph, as its clients do: GraphQL over HTTP, the overview query, usage batches, the
// demo's secret key and credits, and the ledger's reconciliation read through the API.
import { randomUUID } from 'node:crypto';

export const OVERVIEW = `query Overview($slug: String!, $from: DateTime!, $to: DateTime!) {
  organization(slug: $slug) {
    id slug name viewerRole
    members(first: 100) { totalCount nodes { role user { id email name } } }
    projects(first: 100) { totalCount nodes { id name environments { id mode } creditUsage(from: $from, to: $to) { total } } }
    creditBalance { available }
    creditUsage(from: $from, to: $to) { total byDay { date amount } }
  }
}`;

export const RECORD_BATCH = `mutation($input: RecordUsageBatchInput!) { recordUsageBatch(input: $input) { recorded replayed } }`;

export interface GraphQLAnswer<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
}

/** POSTs one operation; `headers` adds to the JSON content type (a router secret, say). */
export async function post<T = Record<string, unknown>>(url: string, body: unknown, token?: string, headers: Record<string, string> = {}): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const answer = (await response.json()) as Omit<GraphQLAnswer<T>, 'status'>;
  return { status: response.status, ...answer };
}

/** The answer's data, or an error naming what failed. */
export async function ok<T>(url: string, body: unknown, token?: string): Promise<T> {
  const answer = await post<T>(url, body, token);
  if (answer.errors || !answer.data) throw new Error(`${url} answered ${answer.status}: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}

export async function logIn(url: string, email: string, password: string): Promise<string> {
  const data = await ok<{ logIn: { accessToken: string } }>(url, {
    query: 'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }',
    variables: { input: { email, password } },
  });
  return data.logIn.accessToken;
}

/** The overview request's body, over the last 30 days of `slug`. */
export function overviewBody(slug: string, now = new Date()): string {
  const from = new Date(now.getTime() - 30 * 86_400_000);
  return JSON.stringify({ query: OVERVIEW, variables: { slug, from, to: now } });
}

/** A recordUsageBatch body of `keys.length` `requests` events, one unit each (fresh keys unless given). */
export function usageBatchBody(keys: readonly string[] = Array.from({ length: 100 }, () => randomUUID())): string {
  return JSON.stringify({ query: RECORD_BATCH, variables: { input: { events: keys.map((idempotencyKey) => ({ meter: 'requests', quantity: 1, idempotencyKey })) } } });
}

export interface LiveEnvironment {
  organizationId: string;
  environmentId: string;
}

/** The LIVE environment of the organization's first project. */
export async function liveEnvironment(url: string, token: string, slug: string): Promise<LiveEnvironment> {
  const { organization } = await ok<{ organization: { id: string; projects: { nodes: { environments: { id: string; mode: string }[] }[] } } }>(
    url,
    { query: 'query($slug: String!) { organization(slug: $slug) { id projects(first: 1) { nodes { environments { id mode } } } } }', variables: { slug } },
    token,
  );
  const live = organization.projects.nodes[0].environments.find((environment) => environment.mode === 'LIVE')!;
  return { organizationId: organization.id, environmentId: live.id };
}

/** A new secret key of `environmentId`, made by someone with `keys:manage`. */
export async function createSecretKey(url: string, token: string, environmentId: string, name: string): Promise<{ id: string; secret: string }> {
  const { createApiKey } = await ok<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    url,
    { query: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }', variables: { input: { environmentId, kind: 'SECRET', name } } },
    token,
  );
  return { id: createApiKey.apiKey.id, secret: createApiKey.secret };
}

/** Grants `amount` promotional credits, as a platform operator. */
export async function grantCredits(url: string, token: string, organizationId: string, amount: number, description: string): Promise<void> {
  await ok(
    url,
    { query: 'mutation($input: GrantCreditsInput!) { grantCredits(input: $input) { id } }', variables: { input: { organizationId, amount, category: 'PROMOTIONAL', description } } },
    token,
  );
}

export interface Balance {
  available: number;
  granted: number;
  used: number;
  expired: number;
  adjusted: number;
}

/**
 * The balance and this year's statements, read through the API, and whether they reconcile: the balance is granted +
 * adjusted − used − expired, every month opens where the last closed, and the last closes at the balance.
 */
export async function statementsReconcile(url: string, token: string, slug: string): Promise<{ balance: Balance; reconciled: boolean }> {
  const { organization } = await ok<{ organization: { billing: { balance: Balance; statements: { openingBalance: number; closingBalance: number }[] } } }>(
    url,
    {
      query: 'query($slug: String!, $year: Int!) { organization(slug: $slug) { billing { balance { available granted used expired adjusted } statements(year: $year) { openingBalance closingBalance } } } }',
      variables: { slug, year: new Date().getUTCFullYear() },
    },
    token,
  );
  const { balance, statements } = organization.billing;
  const chained = statements.every((statement, i) => i === 0 || statement.openingBalance === statements[i - 1].closingBalance);
  const adds = balance.available === balance.granted + balance.adjusted - balance.used - balance.expired;
  const closes = statements.at(-1)?.closingBalance === balance.available;
  return { balance, reconciled: chained && adds && closes };
}
