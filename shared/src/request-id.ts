// Request IDs, to follow one request across services, and the access-log line each service writes per request.
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { logger } from './logger';

/** The header that carries a request's ID; the gateway forwards its own to every subgraph it calls. */
const REQUEST_ID_HEADER = 'x-request-id';
/** A longer caller-chosen ID is replaced, so a client cannot fill the logs through it. */
const MAX_REQUEST_ID_LENGTH = 200;

const requestIds = new WeakMap<IncomingMessage, string>();

/** The request's ID: the caller's x-request-id (the gateway forwards its own to every subgraph), else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  let id = requestIds.get(req);
  if (!id) {
    const header = req.headers[REQUEST_ID_HEADER];
    id = typeof header === 'string' && header.length > 0 && header.length <= MAX_REQUEST_ID_LENGTH ? header : randomUUID();
    requestIds.set(req, id);
  }
  return id;
}

/** The access-log line of an answered request, tagged with its ID so one request can be followed across services. */
export function logRequest(req: IncomingMessage, path: string, status: number, seconds: number): void {
  logger.info({ requestId: requestIdOf(req), method: req.method, path, status, ms: Math.round(seconds * 1000) }, 'request');
}
