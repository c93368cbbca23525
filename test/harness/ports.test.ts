import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort, isAddressInUse } from './ports';

const listen = (port: number) =>
  new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

describe('freePort', () => {
  it('chooses a port below the range the kernel hands out, so no outgoing connection can take it first', async () => {
    const [floor] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) expect(port).toBeLessThan(floor);
  });

  it('chooses a port one can listen on, and a listen on a taken port is recognised as such', async () => {
    const server = await listen(await freePort());
    const { port } = server.address() as { port: number };
    const refusal = await listen(port).then(
      () => undefined,
      (error: unknown) => error,
    );
    server.close();
    expect(isAddressInUse(refusal)).toBe(true);
  });
});
