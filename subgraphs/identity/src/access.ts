// Every access rule of the identity subgraph, one verb: authorize…. Whether there is a caller at all, and whether it
// holds a session rather than a personal access token, are shared rules: requireViewer and requireSession.
import { forbidden, requireViewer } from '@orgapi/shared';
import type { IdentityContext } from './context';
import type { User } from './users/user.type';

/** A user's private fields (sessions, tokens) are for that user alone; returns the caller's ID. */
export function authorizeSelf(context: Pick<IdentityContext, 'principal'>, user: User, what: string): string {
  const id = requireViewer(context).userId;
  if (user.id !== id) throw forbidden(`Only you can see your ${what}.`);
  return id;
}
