// Finds a TCP port nobody listens on, for a server the test starts itself (PostgreSQL, a router, a subgraph whose
// address others must know before it starts).
//
// A port the kernel hands out for port 0 is an ephemeral one, and so is the source port of every outgoing connection
// (hundreds of PostgreSQL connections during a run): a port chosen that way and bound a moment later can be taken in
// between. It happened in CI (`EADDRINUSE` for the organizations port, 185 tests failed). Ports below the ephemeral
// range are never handed out by the kernel, so only another test choosing the same one could race, and a bind check
// plus a random choice among ~10,000 ports makes that rare; `startGraph` retries on it.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';

/** The lowest port the kernel hands out by itself (Linux's default when it cannot be read). */
function ephemeralFloor(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && low > 12_000) return low;
  } catch {
    // Not Linux: fall through to its default.
  }
  return 32_768;
}

const canBind = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A port free on 127.0.0.1 at the moment of asking, below the kernel's ephemeral range. */
export async function freePort(): Promise<number> {
  const high = ephemeralFloor() - 1;
  const low = high - 10_000;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = randomInt(low, high + 1);
    if (await canBind(port)) return port;
  }
  throw new Error(`No free port found between ${low} and ${high}.`);
}

/** True when an error is a listen that found its port taken. */
export const isAddressInUse = (error: unknown): boolean => (error as { code?: string } | null)?.code === 'EADDRINUSE';
