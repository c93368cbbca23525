// One measured load: autocannon against a URL for a while after a warm-up, with the CPU milliseconds each process of
// the graph spent per request over the measured seconds, read from /proc where they are spent.
import autocannon from 'autocannon';
import { cpuMilliseconds, perRequest, type ProcessGroups } from './process-cpu';

export interface Load {
  url: string;
  /** Request headers besides content-type: a credential, the router secret. */
  headers: Record<string, string>;
  /** The request body, or a new one per request (fresh idempotency keys, periods no cache has seen). */
  body: string | (() => string);
  connections: number;
  seconds: number;
  warmUpSeconds: number;
}

export interface Measurement {
  connections: number;
  requests: number;
  /** Requests a second over the measured seconds. */
  throughput: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  /** Failed requests: connection errors, timeouts and answers other than 2xx. */
  errors: number;
  /** CPU milliseconds per request of each process group, and their sum as `total`. */
  cpu: Record<string, number>;
}

export async function measure(load: Load, processes: ProcessGroups): Promise<Measurement> {
  const { body } = load;
  const options = {
    url: load.url,
    method: 'POST' as const,
    connections: load.connections,
    headers: { 'content-type': 'application/json', ...load.headers },
    body: typeof body === 'string' ? body : body(),
    ...(typeof body === 'function' ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: body() }) }] } : {}),
  };
  // A freshly started service is still compiling its hot paths, and pools still opening connections.
  if (load.warmUpSeconds > 0) await autocannon({ ...options, duration: load.warmUpSeconds });
  const before = cpuMilliseconds(processes);
  const result = await autocannon({ ...options, duration: load.seconds });
  const cpu = perRequest(before, cpuMilliseconds(processes), result.requests.total);
  cpu.total = Object.values(cpu).reduce((sum, ms) => sum + ms, 0);
  return {
    connections: load.connections,
    requests: result.requests.total,
    throughput: result.requests.total / load.seconds,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors + result.timeouts + result.non2xx,
    cpu,
  };
}
