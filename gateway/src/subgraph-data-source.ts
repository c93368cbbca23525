// How the gateway sends one fetch of a query plan to a subgraph: the router's proof and the caller's headers, the
// operation as one UTF-8 buffer, and the answer parsed once.
//
// @apollo/gateway's RemoteGraphQLDataSource does the same through hooks, but around each fetch it builds a node-fetch
// Request that nothing here reads (it exists for error hooks), copying the body into it, and it hands the fetcher a
// string that is measured (Content-Length) and encoded again on the socket. The bench's overview sends billing and
// identity 85 KB each: that copy was 9% of the gateway's CPU and the measuring 5% (node --cpu-prof, npm run
// profile:summary). This class is GraphQLDataSource, the interface `buildService` documents for exactly this; it
// encodes the body once and passes the buffer down (subgraph-batch.ts and fetcher.ts take it as it is).
//
// Left out, as this gateway uses none of them: automatic persisted queries (`apq`), subgraphs' Cache-Control (the
// gateway sends none: ApolloServerPluginCacheControlDisabled) and the didReceiveResponse/didEncounterError hooks.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode, ROUTER_SECRET_HEADER, utf8 } from '@orgapi/shared';
import type { Fetcher, FetcherResponse } from './fetcher';

type GatewayResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** What the gateway forwards to the subgraphs of the client's request (GatewayContext's part for them). */
export interface ForwardedContext {
  /** The caller's Authorization header, forwarded as is: each subgraph verifies it again for itself. */
  authorization?: string;
  requestId?: string;
  /** The client's User-Agent, so identity can show which browser a session belongs to. */
  userAgent?: string;
  /** X-Forwarded-For with the address the gateway saw appended: subgraphs trust only that last hop. */
  forwardedFor?: string;
}

export class SubgraphDataSource implements GraphQLDataSource<Partial<ForwardedContext>> {
  constructor(
    private readonly name: string,
    readonly url: string,
    private readonly fetcher: Fetcher,
    private readonly routerSecret: string,
  ) {}

  // Schema loading (IntrospectAndCompose) and health checks come through here too, with an empty context: they still
  // need the secret.
  async process({ request, context }: GraphQLDataSourceProcessOptions<Partial<ForwardedContext>>): Promise<GatewayResponse> {
    if (!request.query) throw new Error('Missing query');
    const headers: Record<string, string> = {};
    // The planner's own headers (a trace request), then ours, which nothing before may replace.
    for (const [name, value] of request.http?.headers ?? []) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    headers[ROUTER_SECRET_HEADER] = this.routerSecret;
    if (context.authorization) headers.authorization = context.authorization;
    if (context.requestId) headers['x-request-id'] = context.requestId;
    if (context.forwardedFor) headers['x-forwarded-for'] = context.forwardedFor;
    if (context.userAgent) headers['user-agent'] = context.userAgent;
    const body = utf8(JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName, extensions: request.extensions }));
    const response = await this.fetcher(this.url, { method: 'POST', headers, body });
    if (!response.ok) throw await this.errorFromResponse(response);
    const answer = await parseBody(response);
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) throw new Error(`Expected JSON response body, but received: ${String(answer)}`);
    return { ...(answer as GatewayResponse), http: response as unknown as GatewayResponse['http'] };
  }

  /**
   * A subgraph answers HTTP 4xx when it refuses a request before running it. Two refusals are the client's doing and
   * pass on as they are: a variable only the subgraph can check (a malformed DateTime, BAD_USER_INPUT), and a
   * credential that ended between the gateway's check and the subgraph's (UNAUTHENTICATED). A 5xx is the subgraph's
   * fault, named as RemoteGraphQLDataSource names it.
   */
  async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = await parseBody(response).catch(() => null);
    if (response.status >= 500) {
      return new GraphQLError(`${response.status}: ${response.statusText}`, {
        extensions: { response: { url: response.url, status: response.status, statusText: response.statusText, body } },
      });
    }
    const [first] = (body as { errors?: { message?: unknown; extensions?: Record<string, unknown> }[] } | null)?.errors ?? [];
    const code = first?.extensions?.code;
    if (typeof first?.message === 'string' && (code === ErrorCode.BAD_USER_INPUT || code === ErrorCode.UNAUTHENTICATED)) {
      return new GraphQLError(first.message, { extensions: { ...first.extensions } });
    }
    // Anything else is a limit between the gateway and a subgraph, or a disagreement between them, never the client's
    // input: an internal error, which formatError logs with this message and shows the client as a generic one.
    const refusal = typeof first?.message === 'string' ? `${String(code ?? 'no code')}: ${first.message}` : response.statusText;
    return new GraphQLError(`The ${this.name} subgraph refused the gateway's request with HTTP ${response.status} (${refusal})`, {
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    });
  }
}

/** The answer as JSON when it says it is JSON, else its text. */
function parseBody(response: FetcherResponse): Promise<unknown> {
  const type = response.headers.get('content-type');
  return type && (type.startsWith('application/json') || type.startsWith('application/graphql-response+json')) ? response.json() : response.text();
}
