// What a usage event must be to be recorded: checked for a whole batch before anything is written, each problem
// named by the event's index, so a client fixes every event in one round trip.
import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';
import { AppError, ErrorCode, findUnsafeText, type EnvironmentMode } from '@orgapi/shared';
import type { Meter } from '../meters/meters';

export const MAX_BATCH_EVENTS = 1_000;
/** Clocks drift: an event may be stamped up to five minutes ahead of ours. */
export const MAX_FUTURE_MS = 5 * 60_000;
/** Late events are accepted for 35 days (a month's statement closes after a few days' grace), then refused. */
export const MAX_AGE_DAYS = 35;
export const MAX_METADATA_KEYS = 50;
export const MAX_METADATA_BYTES = 4 * 1024;
/** Idempotency keys: a UUID fits many times over; Stripe allows 255 characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
// What PROBLEMS lists at most in an error's extensions: enough to fix a batch, small enough to read.
const LISTED_PROBLEMS = 20;

export interface UsageEventInput {
  meter: string;
  quantity: number;
  idempotencyKey: string;
  occurredAt?: Date | null;
  metadata?: Record<string, unknown> | null;
}

/** An event ready to record: its price known, its time settled, and the fingerprint that tells a replay from a conflict. */
export interface PricedEvent {
  index: number;
  meter: string;
  quantity: number;
  /** Credits it costs: quantity × the meter's price in LIVE, 0 in SANDBOX. */
  amount: number;
  idempotencyKey: string;
  occurredAt: Date;
  metadata: Record<string, unknown> | null;
  /** SHA-256 of what the caller sent (meter, quantity, occurredAt if given, metadata), for comparing retries. */
  requestHash: string;
}

export interface EventProblem {
  index: number;
  field: string;
  message: string;
}

/** One BAD_USER_INPUT for the whole batch, naming each problem (the first twenty) by event index and field. */
export function invalidEvents(problems: EventProblem[], batch: boolean): AppError {
  const [first] = problems;
  const where = (problem: EventProblem) => (batch ? `events[${problem.index}].${problem.field}` : problem.field);
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new AppError(ErrorCode.BAD_USER_INPUT, `${where(first)}: ${first.message}${more}. Nothing was recorded.`, {
    field: where(first),
    events: problems.slice(0, LISTED_PROBLEMS).map((problem) => ({ index: problem.index, field: problem.field, message: problem.message })),
  });
}

/** Checks and prices every event of a batch; throws one error naming every problem, or returns them all priced. */
export function priceEvents(events: readonly UsageEventInput[], meters: readonly Meter[], mode: EnvironmentMode, now: Date, batch: boolean): PricedEvent[] {
  if (events.length === 0) throw new AppError(ErrorCode.BAD_USER_INPUT, 'Send at least one event.', { field: 'events' });
  if (events.length > MAX_BATCH_EVENTS) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `A batch holds at most ${MAX_BATCH_EVENTS} events; this one has ${events.length}. Split it.`, { field: 'events' });
  }
  const prices = new Map(meters.map((meter) => [meter.name, meter.creditsPerUnit]));
  const problems: EventProblem[] = [];
  const firstIndexOfKey = new Map<string, number>();
  const priced: PricedEvent[] = [];
  let total = 0;
  events.forEach((event, index) => {
    const problem = (field: string, message: string) => problems.push({ index, field, message });
    const price = prices.get(event.meter);
    if (price === undefined) problem('meter', `there is no meter "${String(event.meter).slice(0, 64)}" (Query.meters lists them)`);
    if (!Number.isSafeInteger(event.quantity) || event.quantity <= 0) problem('quantity', 'must be a whole number above 0');
    const amount = mode === 'LIVE' && price !== undefined ? event.quantity * price : 0;
    if (!Number.isSafeInteger(amount)) problem('quantity', 'costs more credits than can be counted: record it in smaller events');
    else total += amount;
    const key = event.idempotencyKey;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || /[\p{Cc}\s]/u.test(key)) {
      problem('idempotencyKey', `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable characters without spaces (a UUID is ideal)`);
    } else if (firstIndexOfKey.has(key)) {
      problem('idempotencyKey', `repeats the key of events[${firstIndexOfKey.get(key)}]: each event needs its own`);
    } else firstIndexOfKey.set(key, index);
    const occurredAt = event.occurredAt ?? now;
    if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_MS) problem('occurredAt', 'is more than 5 minutes in the future');
    if (occurredAt.getTime() < now.getTime() - MAX_AGE_DAYS * 86_400_000) problem('occurredAt', `is more than ${MAX_AGE_DAYS} days ago: late usage is accepted for ${MAX_AGE_DAYS} days`);
    const metadata = event.metadata ?? null;
    if (metadata) {
      const text = stableStringify(metadata);
      const unsafe = findUnsafeText(metadata);
      if (Object.keys(metadata).length > MAX_METADATA_KEYS) problem('metadata', `has more than ${MAX_METADATA_KEYS} keys`);
      else if (Buffer.byteLength(text) > MAX_METADATA_BYTES) problem('metadata', `is larger than ${MAX_METADATA_BYTES / 1024} KiB`);
      else if (unsafe) problem(['metadata', ...unsafe.path].join('.'), `contains ${unsafe.problem}`);
    }
    priced.push({
      index,
      meter: event.meter,
      quantity: event.quantity,
      amount,
      idempotencyKey: key,
      occurredAt,
      metadata,
      requestHash: fingerprint(event),
    });
  });
  if (!Number.isSafeInteger(total)) problems.push({ index: 0, field: 'quantity', message: 'the batch costs more credits than can be counted: split it' });
  if (problems.length > 0) throw invalidEvents(problems, batch);
  return priced;
}

/** What makes two requests with one idempotency key the same request: the body the caller sent, in a stable form. */
export function fingerprint(event: UsageEventInput): string {
  const body = { meter: event.meter, quantity: event.quantity, occurredAt: event.occurredAt?.toISOString() ?? null, metadata: event.metadata ?? null };
  return createHash('sha256').update(stableStringify(body)).digest('base64url');
}
