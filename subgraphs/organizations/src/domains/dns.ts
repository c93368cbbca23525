// How domain verification reads a domain's TXT records: an interface, and its default on node:dns.
import { Resolver } from 'node:dns/promises';
import { z } from 'zod';

/** Reads the TXT records at a DNS name: each record as the character-strings it is made of. */
export interface DomainResolver {
  resolveTxt(name: string): Promise<string[][]>;
}

/** DNS error codes that mean the name has no TXT record (no such name, or no record of that type). */
export const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA']);

function checkServers(servers: string[]): boolean {
  try {
    new Resolver().setServers(servers);
    return true;
  } catch {
    return false;
  }
}

/** DNS_SERVERS: the nameservers domain verification asks, comma-separated `host:port` (`[::1]:53` for IPv6); the system's when unset. */
export const dnsEnv = {
  DNS_SERVERS: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((server) => server.trim()).filter(Boolean))
    .refine(checkServers, 'DNS_SERVERS must be comma-separated nameserver addresses, `host:port` or `[ipv6]:port`, e.g. `1.1.1.1,8.8.8.8:53`.'),
};

/** A resolver on node:dns that asks `servers`, or the system's nameservers when none are given. */
export function dnsResolver(servers: readonly string[]): DomainResolver {
  const resolver = new Resolver({ timeout: 3_000, tries: 2 });
  if (servers.length > 0) resolver.setServers([...servers]);
  return { resolveTxt: (name) => resolver.resolveTxt(name) };
}
