// Hands a node:http request to Apollo Server and writes its answer back, streamed when Apollo streams it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { answerPieces } from './chunked-results';
import { AppError, ErrorCode } from './errors';
import { CLIENT_BODY_BYTES, parseBody, readBody } from './request-body';
import { utf8 } from './utf8';

/**
 * The most operations one batched request may carry: a router sends the fetches one client request makes to one
 * subgraph at once (two or three); more is a misconfigured or hostile caller, refused before anything runs.
 */
export const MAX_BATCH_OPERATIONS = 8;

export async function executeGraphQL<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: () => Promise<TContext>,
  maxBodyBytes = CLIENT_BODY_BYTES,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const body = req.method === 'POST' ? parseBody(req, await readBody(req, maxBodyBytes)) : undefined;
  if (Array.isArray(body) && (body.length === 0 || body.length > MAX_BATCH_OPERATIONS)) {
    throw new AppError(ErrorCode.REQUEST_TOO_LARGE, `A batch carries 1 to ${MAX_BATCH_OPERATIONS} operations; this one has ${body.length}.`, { http: { status: 413 } });
  }
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context,
  });
  // A complete answer's pieces are taken at once (chunked-results.ts): nothing that could throw comes between Apollo
  // Server making the answer and this writer taking them, so none is left waiting. Each is encoded once (utf8.ts):
  // given the string, node:http would measure it for Content-Length, then encode it on the socket. Organizations'
  // answer to the bench's overview is 186 KB: measuring it was 6% of that service's CPU.
  const answer = response.body.kind === 'complete' ? answerPieces(response.body.string).map(utf8) : response.body.asyncIterator;
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (Array.isArray(answer)) {
    res.setHeader('content-length', answer.reduce((length, piece) => length + piece.length, 0));
    res.cork();
    for (const piece of answer) res.write(piece);
    res.end();
    return;
  }
  for await (const chunk of answer) res.write(chunk);
  res.end();
}
