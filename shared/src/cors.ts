// CORS: which browser apps may call a service, and the answer to their preflight requests.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface CorsOptions {
  /**
   * Origins whose pages may call the service: `'*'` for any, or exact origins such as `https://app.example.com`.
   * Credentials are bearer tokens, never cookies, so `*` grants no ambient authority.
   */
  origins: '*' | string[];
}

const ALLOWED_HEADERS = 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id';
/** How long a browser may reuse a preflight answer: one day. */
const PREFLIGHT_MAX_AGE_SECONDS = '86400';

/**
 * Adds CORS headers for an allowed origin, and answers a preflight (OPTIONS) itself, with 204 whether or not the
 * origin is allowed: without the headers, the browser refuses. Returns true when the request is done.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, { origins }: CorsOptions): boolean {
  const origin = req.headers.origin;
  // Sandboxed frames and local files send `null`, and any page can make one: it is never allowed, not even by `*`.
  const allowed = origin === 'null' ? null : origins === '*' ? '*' : origin && origins.includes(origin) ? origin : null;
  if (allowed) {
    res.setHeader('access-control-allow-origin', allowed);
    // Caches must not hand one origin's answer to another.
    if (allowed !== '*') res.setHeader('vary', 'origin');
  }
  if (req.method !== 'OPTIONS') return false;
  if (allowed) {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS);
  }
  res.writeHead(204);
  res.end();
  return true;
}
