// Who an audit event names as having acted: the person, their personal access token or (later) an API key.
import { requireViewer, type Principal } from '@orgapi/shared';

export const ACTOR_TYPES = ['USER', 'PERSONAL_ACCESS_TOKEN', 'API_KEY', 'SYSTEM'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** The author of a change, with where the request came from; services receive it and the audit log stores it. */
export interface Actor {
  type: ActorType;
  /** The user, token or key that acted; null for the platform itself. */
  id: string | null;
  /** The person behind it, when there is one (a token's owner). */
  userId: string | null;
  ipAddress: string | null;
  requestId: string | null;
}

/** The actor of a request: its signed-in caller (UNAUTHENTICATED for an anonymous one), address and request ID. */
export function actorOf(context: { principal: Principal | null; requestId: string; ipAddress: string | null }): CallerActor {
  const principal = requireViewer(context);
  const type: ActorType = principal.kind === 'personal_access_token' ? 'PERSONAL_ACCESS_TOKEN' : 'USER';
  const id = type === 'USER' ? principal.userId : (principal.tokenId ?? principal.userId);
  return { type, id, userId: principal.userId, ipAddress: context.ipAddress, requestId: context.requestId };
}

/** A signed-in caller: always a person behind it, for now (API keys will act for no one). */
export type CallerActor = Actor & { userId: string };

/** Changes the platform makes on its own (the demo seed, scheduled work, what another service's events bring about). */
export const SYSTEM_ACTOR: Actor = { type: 'SYSTEM', id: null, userId: null, ipAddress: null, requestId: null };
