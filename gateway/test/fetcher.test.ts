// The gateway's subgraph fetcher: keeps connections alive, and gives up on a subgraph that does not answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepAliveFetcher } from '../src/fetcher';

function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void>; sockets: () => number }> {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
        sockets: () => connections,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

/** Runs `test` against a server answering with `handler`, and a fetcher giving up after `timeoutMs`; closes both. */
async function against(handler: http.RequestListener, timeoutMs: number, test: (url: string, fetcher: ReturnType<typeof keepAliveFetcher>) => Promise<void>): Promise<void> {
  const server = await listen(handler);
  const fetcher = keepAliveFetcher(timeoutMs);
  try {
    await test(server.url, fetcher);
  } finally {
    await fetcher.destroy();
    await server.close();
  }
}

it('sends the request and reads the whole answer, reusing its connections', async () => {
  const server = await listen((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => res.end(JSON.stringify({ data: { echo: body, auth: req.headers.authorization } })));
  });
  const fetcher = keepAliveFetcher(1000);
  try {
    for (let i = 0; i < 20; i++) {
      const response = await fetcher.fetch(server.url, { method: 'POST', headers: { authorization: 'Bearer t' }, body: `{"n":${i}}` });
      expect(response.ok).toBe(true);
      expect(await response.json()).toEqual({ data: { echo: `{"n":${i}}`, auth: 'Bearer t' } });
    }
    // undici hands a connection back a moment after its answer is read, so the next request may open a second one:
    // never one per request.
    expect(server.sockets()).toBeLessThanOrEqual(2);
  } finally {
    await fetcher.destroy();
    server.close();
  }
});

it('answers with the status, its standard reason and the headers, as a fetch Response would', async () => {
  const server = await listen((_req, res) => {
    res.writeHead(502, { 'content-type': 'text/html', 'x-trace': 'a' });
    res.end('<h1>Bad gateway</h1>');
  });
  const fetcher = keepAliveFetcher(1000);
  try {
    const response = await fetcher.fetch(server.url, { method: 'POST', body: '{}' });
    expect([response.ok, response.status, response.statusText]).toEqual([false, 502, 'Bad Gateway']);
    expect(response.headers.get('x-trace')).toBe('a');
    expect(await response.text()).toBe('<h1>Bad gateway</h1>');
    await expect(response.text()).rejects.toThrow(/already been read/);
  } finally {
    await fetcher.destroy();
    server.close();
  }
});

it('gives up on a subgraph that does not answer within the timeout', async () => {
  const server = await listen(() => undefined);
  const fetcher = keepAliveFetcher(200);
  try {
    await expect(fetcher.fetch(server.url, { method: 'POST', body: '{}' })).rejects.toThrow(/did not answer within 200 ms/);
  } finally {
    await fetcher.destroy();
    server.close();
  }
});

it("stops waiting when the caller's signal aborts, before or during the request", () =>
  against(() => undefined, 5000, async (url, fetcher) => {
    const during = new AbortController();
    const pending = fetcher.fetch(url, { method: 'POST', body: '{}', signal: during.signal });
    setTimeout(() => during.abort(new Error('the client went away')), 50);
    await expect(pending).rejects.toThrow('the client went away');
    const before = new AbortController();
    before.abort(new Error('cancelled already'));
    await expect(fetcher.fetch(url, { method: 'POST', body: '{}', signal: before.signal })).rejects.toThrow('cancelled already');
  }));

it('fails the request when the subgraph drops the connection halfway through its answer', () =>
  against(
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"data":');
      setTimeout(() => res.socket?.destroy(), 20);
    },
    5000,
    async (url, fetcher) => {
      await expect(fetcher.fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
    },
  ));

it('reads an answer that arrives in many pieces, and repeated headers joined', () =>
  against(
    (_req, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('content-type', 'application/json');
      const text = JSON.stringify({ data: { items: Array.from({ length: 20_000 }, (_, i) => i) } });
      // Written in small pieces, a turn of the event loop apart: the answer reaches the gateway as many chunks.
      let at = 0;
      const next = () => {
        if (at >= text.length) return res.end();
        res.write(text.slice(at, (at += 4096)));
        setImmediate(next);
      };
      next();
    },
    5000,
    async (url, fetcher) => {
      const response = await fetcher.fetch(url, { method: 'POST', body: '{}' });
      expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
      expect(((await response.json()) as { data: { items: number[] } }).data.items).toHaveLength(20_000);
    },
  ));
