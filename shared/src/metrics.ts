// Prometheus metrics of the process and of its HTTP requests, served at /metrics.
import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';

// CPU, memory, event-loop lag and GC, for every service alike.
collectDefaultMetrics();

const requestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time to answer HTTP requests, by path and status code.',
  labelNames: ['path', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

/**
 * Starts timing a request. The returned function records it under `path` and `status` and returns the seconds it
 * took. `path` must come from a fixed set: every distinct value is a new time series.
 */
export function timeRequest(): (path: string, status: number) => number {
  const stop = requestDuration.startTimer();
  return (path, status) => stop({ path, status: String(status) });
}

/** Answers GET /metrics in Prometheus' text format. */
export async function sendMetrics(res: ServerResponse): Promise<void> {
  const text = await register.metrics();
  res.writeHead(200, { 'content-type': register.contentType });
  res.end(text);
}
