// Hears, over PostgreSQL LISTEN/NOTIFY, that a credential was revoked (or a user's account changed), so that the
// services caching identity's answers drop them on the very next request instead of within CREDENTIAL_CACHE_SECONDS.
//
// The owning service publishes: identity's triggers call pg_notify in the revoking transaction, so the notification
// leaves at commit, whichever code path (or operator's SQL) revoked. Every listener hears it.
//
// "The very next request" needs more than hearing eventually: a request may arrive after the commit but before the
// notification reached this process. So a cached answer is trusted only after a barrier: a `SELECT 1` on the
// listening connection, started after the request arrived. PostgreSQL delivers a listening session's pending
// notifications before the answer to its next query, so once the barrier returns every revocation committed before the
// request has been heard. Requests share barriers (at most one in flight and one queued), so under load it costs one
// round trip per batch of requests, not one per request, and never a call to identity.
//
// Without the connection (not yet open, or lost) nothing cached is trusted: answers are asked afresh until it is back.
import { Client } from 'pg';
import { logger } from './logger';

/** The channel identity's triggers notify on. */
export const REVOCATION_CHANNEL = 'credential_revocations';

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
  private queued: Promise<boolean> | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly log = logger.child({ component: 'revocation-listener' });

  constructor(private readonly connectionString: string) {}

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
  barrier(): Promise<boolean> {
    if (!this.connected) return Promise.resolve(false);
    if (!this.inFlight) return (this.inFlight = this.roundTrip());
    // One is in flight, but it may have started before this request's revocation committed: wait for the next.
    if (!this.queued) {
      this.queued = this.inFlight.then(() => {
        this.queued = null;
        return (this.inFlight = this.roundTrip());
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

  private async roundTrip(): Promise<boolean> {
    try {
      await this.client!.query('SELECT 1');
      return this.connected;
    } catch {
      return false;
    } finally {
      this.inFlight = null;
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.connectionString, application_name: 'revocation-listener' });
    client.on('notification', () => this.revoked());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
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
  }
}
