// The router secret: the proof that a request came through a router (our gateway, Apollo Router, Hive Gateway).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ErrorCode } from './errors';
import { sendGraphQLError } from './responses';

/** The header a router adds to prove a request came through it. */
export const ROUTER_SECRET_HEADER = 'x-router-secret';

/** Lets a request through (true) or answers it with 403 FORBIDDEN (false). */
export type RouterCheck = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A check for the router secret `secret`; without one, every request passes. `refusal` is the 403's message. */
export function routerSecretCheck(secret: string | undefined, refusal = 'This service only accepts requests that come through the gateway.'): RouterCheck {
  const expected = secret ? Buffer.from(secret) : null;
  return (req, res) => {
    if (!expected || matches(expected, req.headers[ROUTER_SECRET_HEADER])) return true;
    sendGraphQLError(res, 403, ErrorCode.FORBIDDEN, refusal);
    return false;
  };
}

// In constant time, so the answer's timing says nothing of how much of a guess was right.
function matches(expected: Buffer, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
