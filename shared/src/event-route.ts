// The subscriber's side of the event outbox: an internal route (router secret checked by the server) that reads one
// event, hands it to the handler of its topic and answers 204 once that handler committed. An unknown topic or a
// malformed event is a 400, which the publisher's relay takes as final; a handler's failure is a 500, retried.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { badInput } from './errors';
import type { PublishedEvent } from './event-outbox';
import { findUnsafeText } from './input-text';
import { readBody } from './request-body';
import type { Route } from './server';

/** What a subscriber does with each topic's events; each handler must be idempotent (delivery is at least once). */
export type EventHandlers = Record<string, (event: PublishedEvent) => Promise<void>>;

const envelope = z.object({
  id: z.string().min(1).max(100),
  topic: z.string().min(1).max(100),
  payload: z.record(z.string(), z.unknown()),
  occurredAt: z.iso.datetime(),
});

// An event is a few hundred bytes; this leaves room and refuses anything else.
const MAX_EVENT_BYTES = 64 * 1024;

export function eventsRoute(handlers: EventHandlers): Route {
  return async (req: IncomingMessage, res: ServerResponse) => {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, MAX_EVENT_BYTES));
    } catch {
      throw badInput('Send one event as JSON: {"id", "topic", "payload", "occurredAt"}.');
    }
    const unsafe = findUnsafeText(body);
    if (unsafe) throw badInput(`The event's ${unsafe.path.join('.') || 'body'} contains ${unsafe.problem}.`);
    const parsed = envelope.safeParse(body);
    if (!parsed.success) throw badInput('Send one event as JSON: {"id", "topic", "payload", "occurredAt"}.');
    const handle = handlers[parsed.data.topic];
    if (!handle) throw badInput(`This service does not subscribe to ${parsed.data.topic} events.`);
    await handle(parsed.data);
    res.writeHead(204);
    res.end();
  };
}
