// The fetcher the gateway calls subgraphs with: undici's Agent (Node's own HTTP client library) over keep-alive
// connections.
//
// Apollo's default fetcher (make-fetch-happen) costs about half of the gateway's CPU. Measured on this
// kind of machine, the default fetcher did 1,159 req/s and node:http with a keep-alive Agent 2,432 req/s
// (Node's global fetch gains only 7%), so the gateway brings its own. undici's `request` then costs less than
// node:http's ClientRequest: 42-44 against 59-60 us of the client's CPU per request (a 4 KB POST answered with
// 2 KB, 10 at a time, 20,000 requests, alternating), and the gateway's CPU per demo-sized overview fell 3%
// (1.79, 1.53, 1.52 against 1.84, 1.57, 1.57 ms, alternating rounds with BENCH_BASELINE). Its `dispatch` with a
// handler that keeps the body's chunks (WholeAnswer), rather than `request`, which wraps each answer in an
// AsyncResource and a Readable stream: the gateway's CPU per demo-sized overview 1.00-1.04 -> 0.89-0.92 ms (3 warm
// rounds alternating with BENCH_BASELINE).
import { STATUS_CODES } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { Agent, errors, type Dispatcher } from 'undici';
import { utf8 } from '@orgapi/shared';

// The type RemoteGraphQLDataSource expects, taken from it rather than from @apollo/utils.fetcher, whose
// hoisted copy is a different major version than the one @apollo/gateway was built against.
export type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
export type FetcherResponse = Awaited<ReturnType<Fetcher>>;

export interface KeepAliveFetcher {
  fetch: Fetcher;
  /** Closes every pooled connection; call when the gateway stops so the process can exit. */
  destroy(): Promise<void>;
}

// Up to 256 connections to each subgraph, one request at a time on each (no pipelining: a slow answer would hold
// the ones queued behind it). A subgraph that sends no header, or stops sending its body, for `timeoutMs` is given
// up on: without a limit, one hung subgraph would hold every query that touches it, and its connections, forever.
const CONNECTIONS_PER_SUBGRAPH = 256;

export function keepAliveFetcher(timeoutMs: number): KeepAliveFetcher {
  const agent = new Agent({ connections: CONNECTIONS_PER_SUBGRAPH, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  // The gateway calls a handful of URLs: each is parsed once.
  const targets = new Map<string, { origin: string; path: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: parsed.pathname + parsed.search };
      if (targets.size < 1_000) targets.set(url, target);
    }
    return target;
  };

  const fetch: Fetcher = (url, init = {}) => {
    // Encoded once, here or by the caller (subgraph-data-source.ts): undici takes the buffer as it is.
    const body = typeof init.body === 'string' ? utf8(init.body) : init.body;
    const { origin, path } = targetOf(url);
    return new Promise<FetcherResponse>((resolve, reject) => {
      const options = { origin, path, method: (init.method ?? 'GET') as 'GET', headers: plainHeaders(init.headers), body };
      agent.dispatch(options, new WholeAnswer(url, init.signal as AbortSignal | null | undefined, resolve, (error) => reject(named(error, url, timeoutMs))));
    });
  };

  return {
    fetch,
    destroy: () => agent.destroy(),
  };
}

// The Fetcher type says a plain record, but callers of the fetch API also pass Headers objects.
function plainHeaders(headers: FetcherRequestInit['headers'] | Iterable<[string, string]>): Record<string, string> {
  const plain: Record<string, string> = {};
  if (!headers) return plain;
  const entries = Symbol.iterator in headers ? (headers as Iterable<[string, string]>) : Object.entries(headers);
  for (const [name, value] of entries) plain[name.toLowerCase()] = value;
  return plain;
}

/** A timeout named for the subgraph; any other failure as it is. */
function named(error: unknown, url: string, timeoutMs: number): unknown {
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new Error(`The subgraph at ${url} did not answer within ${timeoutMs} ms.`);
  }
  return error;
}

/**
 * Collects one answer whole, as undici's dispatch hands it over: its head, then its body's chunks. undici's own
 * `request` wraps every answer in an AsyncResource and a Readable stream that the gateway only ever read to its end
 * (it parses every body whole); this handler keeps the chunks and joins them once.
 */
class WholeAnswer implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: Headers | null = null;
  private readonly chunks: Buffer[] = [];
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly url: string,
    private readonly signal: AbortSignal | null | undefined,
    private readonly resolve: (response: FetcherResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  onConnect(abort: (error?: Error) => void): void {
    const signal = this.signal;
    if (!signal) return;
    if (signal.aborted) return abort(signal.reason as Error);
    const onAbort = () => abort(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    this.stopListening = () => signal.removeEventListener('abort', onAbort);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // 1xx answers (100 Continue) come before the real one, which has its own head.
    if (statusCode < 200) return true;
    this.status = statusCode;
    this.headers = headersOf(rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.stopListening?.();
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    // undici reads no reason phrase; the standard one stands in (a 5xx's message names it: subgraph-data-source.ts).
    const head = { status: this.status, statusText: STATUS_CODES[this.status] ?? '', headers: this.headers ?? new Headers() };
    this.resolve(new BufferedResponse(this.url, head, body));
  }

  onError(error: Error): void {
    this.stopListening?.();
    this.reject(error);
  }
}

/** The answer's raw header lines (name, value, name, value…) as fetch Headers; a repeated name's values joined. */
function headersOf(rawHeaders: Buffer[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers.append(rawHeaders[i].toString('latin1'), rawHeaders[i + 1].toString('latin1'));
  return headers;
}

/** What a response says besides its body. */
export interface ResponseHead {
  status: number;
  statusText: string;
  headers: Headers;
}

/** A fetch-style response with a body already read: a batch's whole answer, for each of its fetches (subgraph-batch.ts). */
export function bufferedResponse(url: string, head: ResponseHead, body: string): FetcherResponse {
  return new BufferedResponse(url, ownHeaders(head), Buffer.from(body, 'utf8'));
}

/**
 * A fetch-style response whose body is already parsed: one operation's answer out of a batch (subgraph-batch.ts),
 * handed over as the value it is rather than written out and parsed again. `value` is this response's alone.
 */
export function parsedResponse(url: string, head: ResponseHead, value: unknown): FetcherResponse {
  return new BufferedResponse(url, ownHeaders(head), { value });
}

/** The head with a copy of its headers: a batch's fetches share one head, and none sees what another changes. */
const ownHeaders = (head: ResponseHead): ResponseHead => ({ ...head, headers: new Headers(head.headers) });

/** A fetch-style response whose body has already been read in full (the gateway parses every body whole), or parsed. */
class BufferedResponse implements FetcherResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: Headers;
  // Redirects are not followed: a subgraph URL that redirects is a configuration mistake to surface.
  readonly redirected = false;
  private used = false;

  constructor(
    readonly url: string,
    head: ResponseHead,
    private readonly body: Buffer | { value: unknown },
  ) {
    this.status = head.status;
    this.statusText = head.statusText;
    this.headers = head.headers;
    this.ok = this.status >= 200 && this.status < 300;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  private consume(): Buffer | { value: unknown } {
    if (this.used) throw new TypeError(`The body of the response from ${this.url} has already been read.`);
    this.used = true;
    return this.body;
  }

  async text(): Promise<string> {
    const body = this.consume();
    return Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body.value);
  }

  async json(): Promise<unknown> {
    const body = this.consume();
    return Buffer.isBuffer(body) ? JSON.parse(body.toString('utf8')) : body.value;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const consumed = this.consume();
    const body = Buffer.isBuffer(consumed) ? consumed : Buffer.from(JSON.stringify(consumed.value));
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  }

  clone(): BufferedResponse {
    if (this.used) throw new TypeError(`The body of the response from ${this.url} has already been read.`);
    // A parsed body is copied, so neither response sees what a reader of the other changes in it.
    return new BufferedResponse(this.url, ownHeaders(this), Buffer.isBuffer(this.body) ? this.body : { value: structuredClone(this.body.value) });
  }
}
