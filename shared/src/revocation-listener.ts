// Hears, over PostgreSQL LISTEN/NOTIFY, that a credential was revoked (or a user's account changed), so that the
// services caching identity's answers drop them on the very next request instead of within CREDENTIAL_CACHE_SECONDS.
//
// The owning service publishes: identity's triggers call pg_notify in the revoking transaction, so the notification
// leaves at commit, whichever code path (or operator's SQL) revoked. Every listener hears it.
//
// "The very next request" needs more than hearing eventually: a request may arrive after the commit but before the
// notification reached this process. So a cached answer is trusted only after a barrier: an empty query on the
// listening connection, started after the request arrived. PostgreSQL delivers a listening session's pending
// notifications before it says it is ready for the next query, so once the barrier returns every revocation committed
// before the request has been heard. An empty query is the cheapest that asks for that: nothing to parse, plan or
// send back (20,000 in a row against `SELECT 1`: 31-33 against 41-55 us of this process's CPU, 21 against 24-33 us of
// PostgreSQL's). Requests share barriers (at most one in flight and one queued), so under load it costs one
// round trip per batch of requests, not one per request, and never a call to identity. A barrier that has already
// returned answers for every request that arrived before it started: a subgraph request checks its credential, then
// reads what it kept, and the second asks no second round trip. Measured on the demo-sized overview (node --cpu-prof):
// round trips were 15% of organizations' busy time and 11% of billing's, the write to the socket most of it.
//
// Without the connection (not yet open, or lost) nothing cached is trusted: answers are asked afresh until it is back.
//
// A subgraph's listener also hears its own schema's data changes (`dataChannel`, notified by every table's triggers:
// data-change-triggers.ts), on the same connection, so one barrier serves both: read-caching.ts trusts a cached read
// only when no change was heard since it was read.
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Counter } from 'prom-client';
import { logger } from './logger';

/** The channel identity's triggers notify on. */
export const REVOCATION_CHANNEL = 'credential_revocations';

const roundTripsMetric = new Counter({
  name: 'revocation_barrier_round_trips_total',
  help: 'Round trips to PostgreSQL made to know that every revocation and data change committed before a request was heard.',
});
const HEARD = Promise.resolve(true);

/** Reconnection waits from 0.5 s, doubling to at most 30 s: a database restart is ridden out without a storm. */
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

export class RevocationListener {
  private client: Client | null = null;
  private connected = false;
  private stopped = false;
  private reconnectDelay = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private inFlight: Promise<boolean> | null = null;
  /** When the barrier in flight started (performance.now()): it answers for requests that arrived before. */
  private inFlightStartedAt = 0;
  private queued: Promise<boolean> | null = null;
  /** When the latest barrier that returned had started: everything committed before then has been heard. */
  private heardAsOf = -Infinity;
  private roundTripCount = 0;
  private readonly listeners = new Set<() => void>();
  /** Counts the data changes heard (and lost connections, when changes may have been missed). */
  private dataGeneration = 0;
  private readonly log = logger.child({ component: 'revocation-listener' });

  /** `dataChannel`: also listen there for the schema's data changes (see `generation`). */
  constructor(
    private readonly connectionString: string,
    private readonly dataChannel?: string,
  ) {}

  /**
   * How many data changes were heard so far; a read taken after a barrier, and stored with this number, is still
   * current while the number has not moved.
   */
  get generation(): number {
    return this.dataGeneration;
  }

  /** How many barriers went to PostgreSQL (the rest were shared, or answered by one that had returned). */
  get roundTrips(): number {
    return this.roundTripCount;
  }

  /** Opens the listening connection; resolves once listening (or after the first failure, retrying in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Calls `listener` on every revocation, and whenever notifications may have been missed (a lost connection). */
  onRevocation(listener: () => void): void {
    this.listeners.add(listener);
  }

  /**
   * Resolves to true once every revocation committed before the call has been heard; false when that cannot be known
   * (no connection), and then the caller must not trust what it cached.
   */
  barrier(since = performance.now()): Promise<boolean> {
    if (!this.connected) return Promise.resolve(false);
    // One that started at or after `since` and has returned has heard everything committed before it.
    if (this.heardAsOf >= since) return HEARD;
    if (!this.inFlight) return this.startRoundTrip();
    // One that started at or after `since` (a request's arrival) answers for it: a request shares its first barrier.
    if (this.inFlightStartedAt >= since) return this.inFlight;
    // One is in flight, but it may have started before this request's revocation committed: wait for the next.
    if (!this.queued) {
      this.queued = this.inFlight.then(() => {
        this.queued = null;
        return this.startRoundTrip();
      });
    }
    return this.queued;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  private startRoundTrip(): Promise<boolean> {
    const startedAt = performance.now();
    this.inFlightStartedAt = startedAt;
    return (this.inFlight = this.roundTrip(startedAt));
  }

  private async roundTrip(startedAt: number): Promise<boolean> {
    const client = this.client!;
    this.roundTripCount++;
    roundTripsMetric.inc();
    try {
      await client.query('');
      // Heard on this connection only: one lost meanwhile may have missed notifications.
      if (!this.connected || this.client !== client) return false;
      this.heardAsOf = Math.max(this.heardAsOf, startedAt);
      return true;
    } catch {
      return false;
    } finally {
      this.inFlight = null;
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.connectionString, application_name: 'revocation-listener' });
    client.on('notification', (message) => (message.channel === this.dataChannel ? this.dataGeneration++ : this.revoked()));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
      if (this.dataChannel) await client.query(`LISTEN ${this.dataChannel}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      this.connected = true;
      this.reconnectDelay = RECONNECT_MIN_MS;
      // Whatever was revoked while not listening is unknown: forget everything.
      this.revoked();
    } catch (error) {
      await client.end().catch(() => undefined);
      this.lost(client, error as Error);
    }
  }

  private lost(client: Client, error: Error | null): void {
    if (this.stopped || (this.client !== null && this.client !== client)) return;
    if (this.client === client) {
      this.client = null;
      this.connected = false;
      this.heardAsOf = -Infinity;
      this.revoked();
    }
    if (this.reconnectTimer) return;
    this.log.warn({ err: error ?? undefined, retryInMs: this.reconnectDelay }, 'not listening for credential revocations; asking identity on every request until back');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  private revoked(): void {
    for (const listener of this.listeners) listener();
    // Called on every (re)connection and loss too: whatever changed meanwhile is unknown, so no cached read holds.
    this.dataGeneration++;
  }
}
