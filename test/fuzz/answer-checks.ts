// What every answer to a hostile client must be: below 500, JSON where there is a body, codes on errors, no internals.
import { INTERNALS } from '../harness';
import type { Answer, RawRequest } from './exchange';

/** Statuses whose answers carry no body, by HTTP's rules. */
const BODILESS_STATUSES = new Set([204, 304]);

/** The explorer's HTML page, which a browser that asks for HTML may get instead of JSON. */
const asksForHtml = (request: RawRequest) =>
  (request.method === 'GET' || request.method === 'HEAD') && request.headers.some(([name, value]) => name.toLowerCase() === 'accept' && /text\/html/i.test(value));

/** Prometheus metrics, in Prometheus's own text format, to whoever may read them. */
const isMetrics = (request: RawRequest, type: string) => request.path.split('?')[0] === '/metrics' && /^text\/plain; version=0\.0\.4/.test(type);

/** Everything wrong with `answer` to `request`; empty when it is a proper answer. */
export function problemsWith(request: RawRequest, answer: Answer): string[] {
  if ('failure' in answer) return [`no answer (${answer.failure})`];
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`HTTP ${answer.status}`);
  if (request.method === 'HEAD' || BODILESS_STATUSES.has(answer.status)) return problems;
  if (answer.body.length === 0) return [...problems, `HTTP ${answer.status} with an empty body, not JSON`];
  const type = String(answer.headers['content-type'] ?? '');
  if (/^text\/html/i.test(type) && asksForHtml(request)) return problems;
  if (isMetrics(request, type)) return problems;

  let text: string;
  let body: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(answer.body);
    body = JSON.parse(text);
  } catch {
    return [...problems, `the body is not well-formed JSON (content type ${type || 'none'})`];
  }
  if (!/^application\/(graphql-response\+)?json/i.test(type)) problems.push(`a JSON body labelled ${type || 'with no content type'}`);
  return [...problems, ...errorProblems(body), ...leaks(request, body, text)];
}

/** A GraphQL answer's errors: each with a message and a code, none of them internal. */
function errorProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || !('errors' in body)) return [];
  const { errors } = body as { errors: unknown };
  if (!Array.isArray(errors) || errors.length === 0) return ['`errors` is not a non-empty list'];
  return errors.flatMap((error: unknown) => {
    const { message, extensions } = (error ?? {}) as { message?: unknown; extensions?: Record<string, unknown> };
    const problems: string[] = [];
    if (typeof message !== 'string') problems.push('an error without a message');
    const code = extensions?.code;
    if (typeof code !== 'string') problems.push(`an error without extensions.code: ${JSON.stringify(message)}`);
    else if (code === 'INTERNAL_SERVER_ERROR') problems.push(`INTERNAL_SERVER_ERROR: ${JSON.stringify(message)}`);
    if (extensions && ('stacktrace' in extensions || 'exception' in extensions)) problems.push('an error with a stack trace');
    return problems;
  });
}

/**
 * Internals in what the answer says of itself: its errors, or the whole body when it is not a GraphQL answer. Data
 * is left out (a name the fuzz stored earlier may read "violates"), and so is a match that only echoes the request.
 */
function leaks(request: RawRequest, body: unknown, text: string): string[] {
  const graphQL = typeof body === 'object' && body !== null && ('data' in body || 'errors' in body);
  const said = graphQL ? JSON.stringify((body as { errors?: unknown }).errors ?? []) : text;
  const found = [...said.matchAll(new RegExp(INTERNALS.source, 'gi'))].map((match) => match[0]);
  if (found.length === 0) return [];
  const sent = sentText(request);
  const matches = found.filter((match) => !sent.includes(match.toLowerCase()));
  return matches.length > 0 ? [`internals in the answer: ${[...new Set(matches)].map((m) => JSON.stringify(m)).join(', ')}`] : [];
}

/** Everything the client sent, as text in lower case, in the forms an answer may echo it. */
function sentText(request: RawRequest): string {
  const body = request.body === undefined ? '' : typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
  let path = request.path;
  try {
    path = decodeURIComponent(request.path);
  } catch {
    // Not percent-encoded properly: echoed as it is.
  }
  let decoded = '';
  try {
    decoded = JSON.stringify(JSON.parse(body));
  } catch {
    // Not JSON: echoed, if at all, as it is.
  }
  return [body, decoded, path, ...request.headers.map(([, value]) => value)].join('\n').toLowerCase();
}
