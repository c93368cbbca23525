// Sends the fetches one client request makes to one subgraph at the same moment as one HTTP request, a JSON array
// that the subgraph runs with one context (one credential check, shared DataLoaders).
//
// Apollo's query planner fetches an organization's and its projects' billing fields as two parallel fetches to
// billing; Hive Gateway's Rust planner merges them into one. Counted at the subgraphs (`/metrics`) per overview:
// billing answered 2 requests behind our gateway and 1 behind Hive's, and the subgraphs spent 10–20% more CPU per
// overview behind ours (npm run bench, alternating rounds). Batching gets the one request without a new planner.
import { MAX_BATCH_OPERATIONS, utf8 } from '@orgapi/shared';
import { bufferedResponse, parsedResponse, type Fetcher, type FetcherResponse } from './fetcher';

/** Fetches sent together, at most: the subgraphs refuse more (shared/src/graphql-request.ts). */
export { MAX_BATCH_OPERATIONS };
/** A batch stays well under the subgraphs' body limit for routers; larger bodies go alone. */
export const MAX_BATCH_BYTES = 256 * 1024;

type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((text) => Buffer.from(text));

interface Waiting {
  init: FetcherRequestInit & { body: Buffer };
  resolve: (response: FetcherResponse) => void;
  reject: (error: unknown) => void;
}

/**
 * Wraps `send` so that POSTs with the same URL and the same headers (the same client request: its credential, the
 * router secret, its request ID) started in the same turn of the event loop go out as one batch. One fetch alone,
 * a GET, or a batch that would grow past the limits, goes as it is. The answers are handed back in order; an answer
 * that is not a batch's (an HTTP error for the whole request) goes to each.
 */
export function batchingFetcher(send: Fetcher): Fetcher {
  const pending = new Map<string, { url: string; waiting: Waiting[]; bytes: number }>();

  const flush = (key: string): void => {
    const group = pending.get(key);
    pending.delete(key);
    if (!group) return;
    if (group.waiting.length === 1) {
      const [only] = group.waiting;
      send(group.url, only.init).then(only.resolve, only.reject);
      return;
    }
    const [first] = group.waiting;
    const body = Buffer.concat(group.waiting.flatMap((waiting, index) => [index === 0 ? OPEN : COMMA, waiting.init.body]).concat(CLOSE));
    send(group.url, { ...first.init, body }).then(
      async (response) => {
        const text = await response.text();
        let answers: unknown;
        try {
          answers = JSON.parse(text);
        } catch {
          answers = undefined;
        }
        const batched = Array.isArray(answers) && answers.length === group.waiting.length;
        group.waiting.forEach((waiting, index) => {
          const head = (status: number) => ({ status, statusText: status === response.status ? response.statusText : '', headers: response.headers as Headers });
          if (!batched) return waiting.resolve(bufferedResponse(response.url, head(response.status), text));
          // The batch's status is its worst operation's (a representation limit's 413): an operation that has data
          // answered on its own, as it would have alone. Handed back parsed: the data source would parse it again.
          const answer = (answers as unknown[])[index] as { data?: unknown };
          waiting.resolve(parsedResponse(response.url, head(answer?.data != null ? 200 : response.status), answer));
        });
      },
      (error: unknown) => group.waiting.forEach((waiting) => waiting.reject(error)),
    );
  };

  return (url, init = {}) => {
    if ((init.method ?? 'GET') !== 'POST' || init.body === undefined) return send(url, init);
    const headers = headerList(init.headers);
    if (!headers) return send(url, init);
    // The data source hands over a buffer (subgraph-data-source.ts); a string is encoded here, once.
    const body = typeof init.body === 'string' ? utf8(init.body) : init.body;
    const key = `${url}\n${JSON.stringify(headers)}`;
    const group = pending.get(key);
    const bytes = body.length;
    if (group && (group.waiting.length >= MAX_BATCH_OPERATIONS || group.bytes + bytes > MAX_BATCH_BYTES)) flush(key);
    return new Promise<FetcherResponse>((resolve, reject) => {
      const current = pending.get(key);
      if (current) {
        current.waiting.push({ init: { ...init, body }, resolve, reject });
        current.bytes += bytes;
        return;
      }
      pending.set(key, { url, waiting: [{ init: { ...init, body }, resolve, reject }], bytes });
      // After the microtasks of this turn: the planner starts a Parallel node's fetches together, within one turn.
      setImmediate(() => flush(key));
    });
  };
}

/** The request's headers, lower-cased and sorted: what makes two fetches the same client's. Null when unreadable. */
function headerList(headers: FetcherRequestInit['headers'] | Iterable<[string, string]> | undefined): [string, string][] | null {
  if (!headers) return [];
  if (typeof headers !== 'object') return null;
  const entries = Symbol.iterator in headers ? [...(headers as Iterable<[string, string]>)] : Object.entries(headers);
  return entries.map(([name, value]): [string, string] => [name.toLowerCase(), String(value)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
