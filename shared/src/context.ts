// The per-request context every resolver receives: who is asking, and this request's DataLoaders.
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { unauthenticated } from './errors';
import type { CredentialVerifier, Principal } from './auth';

export interface BaseRequestContext {
  requestId: string;
  principal: Principal | null;
}

/**
 * Builds each request's context: the verified caller plus what `perRequest` adds (the subgraph's services and
 * DataLoaders, created anew for each request so batching and caching never outlive it).
 */
export function contextFactory<Extra extends object>(verifier: CredentialVerifier, perRequest: (principal: Principal | null) => Extra) {
  return async (req: IncomingMessage): Promise<BaseRequestContext & Extra> => {
    const header = req.headers['x-request-id'];
    const principal = await verifier.verify(req.headers.authorization);
    return {
      requestId: typeof header === 'string' && header.length <= 200 ? header : randomUUID(),
      principal,
      ...perRequest(principal),
    };
  };
}

/** The signed-in user's id, or UNAUTHENTICATED. */
export function viewerId(context: { principal: Principal | null }): string {
  if (!context.principal) throw unauthenticated();
  return context.principal.userId;
}
