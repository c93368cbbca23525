// One HTTP exchange as the fuzz makes it: any method, path, headers and bytes, sent with node:http, answered in full.
import http, { type IncomingHttpHeaders } from 'node:http';

/** A request as sent on the wire: nothing about it has to be valid GraphQL, JSON or UTF-8. */
export interface RawRequest {
  method: string;
  /** Path and query string. */
  path: string;
  /** In order; a name may repeat. */
  headers: [string, string][];
  body?: string | Uint8Array;
}

/** What came back: a status, headers and the body's bytes; or why nothing came back. */
export type Answer = { status: number; headers: IncomingHttpHeaders; body: Buffer } | { failure: string };

/** How long a single answer may take: far above any legitimate one (a throttled log-in waits 2 s). */
const ANSWER_TIMEOUT_MS = 20_000;
/** The most of an answer the fuzz reads; a larger one is a failure in itself. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

// No keep-alive: a connection the server closed after a refusal can never be picked up by the next request.
const agent = new http.Agent({ keepAlive: false });

/**
 * Sends `request` to the server at `origin` (`http://127.0.0.1:port`). Resolves to the answer, to a failure when
 * the server answers nothing or too much, or to null when node:http itself refuses to send such a request.
 */
export function exchange(origin: string, request: RawRequest): Promise<Answer | null> {
  const { hostname, port } = new URL(origin);
  const headers: Record<string, string | string[]> = {};
  const chunked = request.headers.some(([name]) => name.toLowerCase() === 'transfer-encoding');
  // Framed by its length whatever the method: node:http leaves it out for a GET, and the body would read as a second request.
  if (request.body !== undefined && !chunked) headers['content-length'] = String(Buffer.byteLength(request.body));
  for (const [name, value] of request.headers) {
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    try {
      req = http.request({ host: hostname, port, method: request.method, path: request.path, headers, agent, timeout: ANSWER_TIMEOUT_MS });
    } catch {
      resolve(null);
      return;
    }
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)));
    req.on('error', (error) => resolve({ failure: error.message }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`an answer larger than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (error) => resolve({ failure: error.message }));
    });
    req.end(request.body);
  });
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);

/** The bytes as text with anything unprintable escaped, and bytes that are not UTF-8 shown as \xNN. */
export function printable(body: string | Uint8Array, max = 2000): string {
  const text = typeof body === 'string' ? body : decodeShowingBadBytes(body);
  // JSON.stringify escapes control characters and lone surrogates; the quotes it adds are dropped.
  return clip(JSON.stringify(text).slice(1, -1), max);
}

function decodeShowingBadBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Array.from(bytes, (byte) => (byte < 0x80 ? String.fromCharCode(byte) : `\\x${byte.toString(16)}`)).join('');
  }
}

/** The request as a failure message shows it: enough to send it again by hand. */
export function describeRequest(target: string, request: RawRequest): string {
  const shown = request.headers.slice(0, 12).map(([name, value]) => `    ${name}: ${printable(value, 120)}`);
  if (request.headers.length > shown.length) shown.push(`    … and ${request.headers.length - shown.length} more headers`);
  const headers = shown.join('\n');
  const body = request.body === undefined ? '(none)' : `${printable(request.body)}  [${Buffer.byteLength(request.body)} bytes]`;
  return [`${request.method} ${clip(request.path, 300)}  → ${target}`, headers ? `  headers:\n${headers}` : '  headers: (none)', `  body: ${body}`].join('\n');
}

/** The answer as a failure message shows it. */
export function describeAnswer(answer: Answer): string {
  if ('failure' in answer) return `no answer: ${answer.failure}`;
  return `HTTP ${answer.status} ${answer.headers['content-type'] ?? '(no content type)'}: ${answer.body.length === 0 ? '(empty body)' : printable(answer.body, 1500)}`;
}
