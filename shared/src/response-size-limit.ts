// A subgraph's bound on the size of its answers: one over the limit becomes a clear error instead of being sent.
import type { ApolloServerPlugin } from '@apollo/server';
import { bytesInWords } from './byte-size';
import { ErrorCode } from './errors';

const MiB = 1024 * 1024;

/**
 * Default 32 MiB. The overview's answers are a few kilobytes; a month of daily usage for each of 10,000 projects
 * (100 organizations of 100 projects) is about 11 MB. An answer of hundreds of megabytes would take the gateway as
 * much memory again to read, and a serialised string near V8's limit (about 512 MB) throws instead of being sent.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * MiB;

export interface ResponseSizeLimitOptions {
  /** The largest answer, in bytes of JSON (counted in characters, which is exact for ASCII). Default 32 MiB. */
  maxResponseBytes?: number;
}

/**
 * Measures each answer in Apollo's `willSendResponse`, before Apollo serialises it, so an answer over the limit never
 * becomes a string: the walk stops as soon as the count passes the limit. The answer is replaced by one
 * RESPONSE_TOO_LARGE error with HTTP 400. This bounds what leaves the process; what is built before it is bounded
 * by the depth, representation and cost limits, which refuse a query before it runs.
 */
export function responseSizeLimit({ maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES }: ResponseSizeLimitOptions = {}): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !exceedsJsonBytes(response.body.singleResult, maxResponseBytes)) return;
          response.body.singleResult = {
            errors: [
              {
                message: `The answer to this request is larger than this service sends (${bytesInWords(maxResponseBytes)}). Ask for fewer items or fields.`,
                extensions: { code: ErrorCode.RESPONSE_TOO_LARGE, maxResponseBytes },
              },
            ],
          };
          response.http.status = 400;
        },
      };
    },
  };
}

/**
 * Whether `value` as JSON is longer than `limit` characters; it stops walking as soon as it knows. The count is
 * JSON.stringify's length for strings that need no escaping, and a little under it for those that do.
 */
export function exceedsJsonBytes(value: unknown, limit: number): boolean {
  let size = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') size += item.length + 2;
    else if (typeof item === 'number' || typeof item === 'boolean') size += String(item).length;
    else if (item === null || item === undefined) size += 4;
    else if (Array.isArray(item)) {
      // Brackets and the commas between elements; a hole or undefined is written as null.
      size += 1 + Math.max(item.length, 1);
      for (const element of item) pending.push(element);
    } else if (typeof item === 'object') {
      size += 1;
      let fields = 0;
      // for…in rather than Object.entries: no array per object, on a walk over every object of a large answer.
      for (const key in item) {
        const field = (item as Record<string, unknown>)[key];
        if (field === undefined || typeof field === 'function' || !Object.hasOwn(item, key)) continue;
        // "key": and the comma or brace after the field.
        size += key.length + 4;
        fields++;
        pending.push(field);
      }
      if (fields === 0) size += 1;
    }
    if (size > limit) return true;
  }
  return false;
}
