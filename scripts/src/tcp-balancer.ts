// Round-robin TCP balancers on loopback, one port per service in front of its replicas, run as a child process of
// `npm run bench:replicas` so that the extra hop's CPU is counted apart from the services and the load generator.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** One service reached at `port`, spread over the replicas listening at `backends`. */
export interface Front {
  name: string;
  port: number;
  backends: number[];
}

/** What the parent sends: the fronts to open, or how many replicas of each to use from now on. */
export type BalancerCommand = { open: Front[] } | { use: number };

/** What the balancer answers: started, fronts open, or done switching, with the connections each replica took so far. */
export interface BalancerReply {
  ready?: boolean;
  opened?: boolean;
  used?: number;
  connections: Record<string, number[]>;
}

/** A client's connection and the one to its replica, with when bytes last went either way. */
interface Pair {
  client: Socket;
  upstream: Socket;
  lastActivity: number;
}

interface Balanced {
  front: Front;
  server: Server;
  next: number;
  /** Connections handed to each backend since the start. */
  handed: number[];
  open: Set<Pair>;
}

/**
 * A connection this long without a byte either way is between requests, and closing it loses nothing in flight: longer
 * than any request here takes (a usage batch queued on its account's lock took up to 1.1 s in a run, and one cut at
 * 0.5 s of silence failed with "socket hang up").
 */
const IDLE_MS = 2_000;

const balanced: Balanced[] = [];
/** Replicas in use per front, the first `active` of its backends: 1 compares against a single replica. */
let active = Number.MAX_SAFE_INTEGER;

function listen(front: Front): Promise<Balanced> {
  const entry: Balanced = { front, server: createServer({ noDelay: true }), next: 0, handed: front.backends.map(() => 0), open: new Set() };
  // Per connection, as a TCP balancer (kube-proxy, an NLB, HAProxy in tcp mode) does: a keep-alive connection stays
  // with the replica it reached first, so clients must open several for the load to spread.
  entry.server.on('connection', (client) => {
    const choices = Math.min(active, front.backends.length);
    const index = entry.next++ % choices;
    entry.handed[index]++;
    const upstream = createConnection({ port: front.backends[index], host: '127.0.0.1', noDelay: true });
    const pair: Pair = { client, upstream, lastActivity: Date.now() };
    entry.open.add(pair);
    for (const socket of [client, upstream]) {
      socket.on('data', () => (pair.lastActivity = Date.now()));
      // Either side failing ends both: the client sees a closed connection, as with any balancer.
      socket.on('error', () => undefined);
      socket.on('close', () => {
        entry.open.delete(pair);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve, reject) => {
    entry.server.once('error', reject);
    entry.server.listen(front.port, '127.0.0.1', () => resolve(entry));
  });
}

const connections = () => Object.fromEntries(balanced.map((entry) => [entry.front.name, [...entry.handed]]));

function reply(message: BalancerReply): void {
  process.send?.(message);
}

async function handle(command: BalancerCommand): Promise<void> {
  if ('open' in command) {
    balanced.push(...(await Promise.all(command.open.map(listen))));
    reply({ opened: true, connections: connections() });
    return;
  }
  active = command.use;
  // Connections already open stay where they landed: close each once it is idle (a request still in flight, or an
  // event a relay is posting, finishes first), so that every client reconnects through the new choice.
  const pairs = balanced.flatMap((entry) => [...entry.open]);
  for (let waited = 0; pairs.some((pair) => !pair.client.destroyed) && waited < 30_000; waited += 100) {
    for (const pair of pairs) if (Date.now() - pair.lastActivity >= IDLE_MS) pair.client.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  reply({ used: active, connections: connections() });
}

if (require.main === module) {
  process.on('message', (command: BalancerCommand) => {
    handle(command).catch((error: unknown) => {
      process.stderr.write(`balancer: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
  });
  // Losing the parent ends the balancer.
  process.once('disconnect', () => process.exit(0));
  reply({ ready: true, connections: {} });
}
