// The per-request context every resolver receives: who is asking, and this request's DataLoaders.
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { forbidden, unauthenticated } from './errors';
import { requestIdOf } from './request-id';
import type { ApiKeyCaller, CredentialVerifier, Principal } from './auth';
import type { ReadCacheSwitch } from './prepared-reads';

export interface BaseRequestContext {
  requestId: string;
  principal: Principal | null;
  /** A machine client's API key, acting for one environment; null for people and anonymous callers. */
  apiKey: ApiKeyCaller | null;
  /** Whether loaders may answer from reads kept between requests: off for mutations (readCachePlugin). */
  readCache: ReadCacheSwitch;
}

/** When the request arrived, and its read-cache switch: what a subgraph's loaders need to read (prepared-reads.ts). */
export interface RequestReads {
  arrivedAt: number;
  readCache: ReadCacheSwitch;
}

/**
 * Builds each request's context: the verified caller plus what `perRequest` adds (the subgraph's services and
 * DataLoaders, created anew for each request so batching and caching never outlive it).
 */
export function contextFactory<Extra extends object>(
  verifier: CredentialVerifier,
  perRequest: (principal: Principal | null, req: IncomingMessage, reads: RequestReads) => Extra,
) {
  return async (req: IncomingMessage): Promise<BaseRequestContext & Extra> => {
    const reads = { arrivedAt: performance.now(), readCache: { enabled: true } };
    const { principal, apiKey } = await verifier.verifyCaller(req.headers.authorization);
    return {
      requestId: requestIdOf(req),
      principal,
      apiKey,
      readCache: reads.readCache,
      ...perRequest(principal, req, reads),
    };
  };
}

/** The caller, signed in with a session or a personal access token; UNAUTHENTICATED for an anonymous request. */
export function requireViewer(context: { principal: Principal | null; apiKey?: ApiKeyCaller | null }): Principal {
  if (context.apiKey) throw forbidden('An API key acts for its environment only: this needs a signed-in user or a personal access token.');
  if (!context.principal) throw unauthenticated();
  return context.principal;
}

/**
 * The caller, signed in with a session: some things need a person at a browser, not a script holding a personal
 * access token (creating tokens, changing the password, logging out). FORBIDDEN names what was refused.
 */
export function requireSession(context: { principal: Principal | null; apiKey?: ApiKeyCaller | null }, what: string): Principal & { sessionId: string } {
  const principal = requireViewer(context);
  if (!principal.sessionId) throw forbidden(`A personal access token can't ${what}: sign in instead.`);
  return principal as Principal & { sessionId: string };
}

/** Where a request came from, as the gateway saw it: the address it appended last to X-Forwarded-For. */
export function clientOf(req: IncomingMessage): { ipAddress: string | null; userAgent: string | null } {
  const forwarded = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((hop) => hop.trim()).filter(Boolean);
  const userAgent = req.headers['user-agent'];
  return { ipAddress: hops.at(-1) ?? req.socket.remoteAddress ?? null, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null };
}
