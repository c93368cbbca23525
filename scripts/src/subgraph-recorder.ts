// Stands between a gateway and the subgraphs for one query and keeps what the gateway sent each of them, so the bench
// can replay exactly those requests against each subgraph alone: the subgraphs' share of a query, without the gateway.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SubgraphName } from '@orgapi/shared';

export interface RecordedRequest {
  subgraph: SubgraphName;
  headers: Record<string, string>;
  body: string;
  /** The subgraph's answer's size, in bytes (its body as sent, before any compression). */
  answerBytes: number;
}

// What a subgraph reads from a router's request; the rest (content-length, connection…) is the transport's.
const KEPT_HEADERS = ['authorization', 'x-router-secret', 'x-request-id', 'x-forwarded-for'];

export interface SubgraphRecorder {
  /** Where the gateway should send each subgraph's requests. */
  urls: Record<SubgraphName, string>;
  recorded: RecordedRequest[];
  close(): Promise<void>;
}

/** A forwarding HTTP server per subgraph on a free port of 127.0.0.1, keeping every request's headers and body. */
export async function recordSubgraphRequests(targets: Record<SubgraphName, string>): Promise<SubgraphRecorder> {
  const recorded: RecordedRequest[] = [];
  const servers: Server[] = [];
  const urls = {} as Record<SubgraphName, string>;
  for (const [subgraph, target] of Object.entries(targets) as [SubgraphName, string][]) {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(KEPT_HEADERS.flatMap((name) => (typeof req.headers[name] === 'string' ? [[name, req.headers[name] as string]] : [])));
        const request: RecordedRequest = { subgraph, headers, body, answerBytes: 0 };
        if (req.method === 'POST') recorded.push(request);
        fetch(target, { method: req.method, headers: { 'content-type': 'application/json', ...headers }, body: req.method === 'POST' ? body : undefined })
          .then(async (response) => {
            const answer = Buffer.from(await response.arrayBuffer());
            request.answerBytes = answer.length;
            res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
            res.end(answer);
          })
          .catch((error: unknown) => {
            res.writeHead(502);
            res.end(String(error));
          });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls[subgraph] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }
  return {
    urls,
    recorded,
    close: () => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))).then(() => undefined),
  };
}
