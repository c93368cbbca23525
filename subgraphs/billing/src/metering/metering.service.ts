// Recording usage with an environment's secret key: idempotent for 24 hours, all or nothing per batch, and never
// past what the balance (and its overdraft) covers. Knows nothing of GraphQL.
import type { EntityManager } from 'typeorm';
import { AppError, ErrorCode, newId, type ApiKeyCaller, type Queryable } from '@orgapi/shared';
import { inTransaction } from '../ledger/ledger.service';
import { LockedAccount, type LedgerActor } from '../ledger/locked-account';
import type { Meter } from '../meters/meters';
import { priceEvents, type PricedEvent, type UsageEventInput } from './usage-event-rules';

/** How long an idempotency key answers with its first result (Stripe's window): after that it is forgotten. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;
// Offending events listed in an INSUFFICIENT_CREDITS error, at most.
const LISTED_EVENTS = 100;

export interface UsageEventRow {
  id: string;
  organizationId: string;
  projectId: string;
  environmentId: string;
  mode: 'SANDBOX' | 'LIVE';
  meter: string;
  quantity: number;
  amount: number;
  idempotencyKey: string;
  occurredAt: Date;
  recordedAt: Date;
  metadata: Record<string, unknown> | null;
}

export interface RecordedUsage {
  event: UsageEventRow;
  /** True when the key had been used in the last 24 hours: this is that first result, nothing was charged again. */
  replayed: boolean;
}

interface StoredEventRow {
  id: string;
  organization_id: string;
  project_id: string;
  environment_id: string;
  mode: 'SANDBOX' | 'LIVE';
  meter: string;
  quantity: string;
  amount: string;
  idempotency_key: string;
  occurred_at: Date;
  created_at: Date;
  metadata: Record<string, unknown> | null;
  request_hash: string;
}

const toEvent = (row: StoredEventRow): UsageEventRow => ({
  id: row.id,
  organizationId: row.organization_id,
  projectId: row.project_id,
  environmentId: row.environment_id,
  mode: row.mode,
  meter: row.meter,
  quantity: Number(row.quantity),
  amount: Number(row.amount),
  idempotencyKey: row.idempotency_key,
  occurredAt: row.occurred_at,
  recordedAt: row.created_at,
  metadata: row.metadata,
});

export class MeteringService {
  constructor(
    private readonly db: EntityManager,
    private readonly meters: readonly Meter[],
  ) {}

  /**
   * Records `events` for the key's environment, in input order: new events are written and charged together or not
   * at all; events whose key was used in the last 24 hours with the same body are replays (returned, not charged);
   * the same key with another body is a CONFLICT that refuses the batch.
   */
  async record(key: ApiKeyCaller, events: readonly UsageEventInput[], options: { batch: boolean; now?: Date }): Promise<RecordedUsage[]> {
    const now = options.now ?? new Date();
    const priced = priceEvents(events, this.meters, key.mode, now, options.batch);
    const actor: LedgerActor = { type: 'API_KEY', id: key.keyId };
    return inTransaction(this.db, async (tx) => {
      // LIVE events change the balance: the account's lock orders every writer of it (and with it, same-key retries).
      const account = key.mode === 'LIVE' ? await LockedAccount.open(tx, key.organizationId, now, actor) : null;
      const ids = priced.map(() => newId('use'));
      const claimed = await this.claimKeys(tx, key.environmentId, priced, ids, now);
      const replays = claimed.size === priced.length ? new Map<string, StoredEventRow>() : await this.firstResults(tx, key.environmentId, priced, claimed);
      const fresh = priced.filter((event) => claimed.has(event.idempotencyKey));

      if (account) {
        const charged = fresh.filter((event) => event.amount > 0);
        let spendable = account.spendable;
        const refused = charged.filter((event) => (spendable -= event.amount) < 0);
        if (refused.length > 0) throw insufficientCredits(account, charged, refused, options.batch);
      }
      if (fresh.length > 0) await this.insertEvents(tx, key, fresh, ids, now);
      if (account) {
        for (const event of fresh) {
          if (event.amount === 0) continue;
          await account.debit(event.amount, {
            kind: 'USAGE',
            description: `${event.meter} × ${event.quantity}`,
            usageEventId: ids[event.index],
            projectId: key.projectId,
            environmentId: key.environmentId,
            reference: event.idempotencyKey,
          });
        }
        await account.close();
      }
      return priced.map((event): RecordedUsage => {
        const replay = replays.get(event.idempotencyKey);
        if (replay) return { event: toEvent(replay), replayed: true };
        return {
          replayed: false,
          event: {
            id: ids[event.index],
            organizationId: key.organizationId,
            projectId: key.projectId,
            environmentId: key.environmentId,
            mode: key.mode,
            meter: event.meter,
            quantity: event.quantity,
            amount: event.amount,
            idempotencyKey: event.idempotencyKey,
            occurredAt: event.occurredAt,
            recordedAt: now,
            metadata: event.metadata,
          },
        };
      });
    });
  }

  /**
   * Claims each event's idempotency key for this environment, in key order (two batches sharing keys then wait on
   * each other instead of deadlocking). A key stored less than 24 hours ago stays with its first event; one older is
   * taken over. Returns the keys this request now holds.
   */
  private async claimKeys(tx: Queryable, environmentId: string, events: PricedEvent[], ids: string[], now: Date): Promise<Set<string>> {
    const rows: { idempotency_key: string }[] = await tx.query(
      `INSERT INTO usage_idempotency_keys (environment_id, idempotency_key, usage_event_id, request_hash, created_at)
       SELECT $1, k.key, k.event_id, k.hash, $5 FROM unnest($2::text[], $3::text[], $4::text[]) AS k(key, event_id, hash) ORDER BY k.key
       ON CONFLICT (environment_id, idempotency_key) DO UPDATE
         SET usage_event_id = EXCLUDED.usage_event_id, request_hash = EXCLUDED.request_hash, created_at = EXCLUDED.created_at
         WHERE usage_idempotency_keys.created_at <= $5::timestamptz - make_interval(hours => $6)
       RETURNING idempotency_key`,
      [environmentId, events.map((e) => e.idempotencyKey), events.map((e) => ids[e.index]), events.map((e) => e.requestHash), now, IDEMPOTENCY_WINDOW_HOURS],
    );
    return new Set(rows.map((row) => row.idempotency_key));
  }

  /** The first result of each key already held; a key whose first request had another body refuses the batch. */
  private async firstResults(tx: Queryable, environmentId: string, events: PricedEvent[], claimed: Set<string>): Promise<Map<string, StoredEventRow>> {
    const held = events.filter((event) => !claimed.has(event.idempotencyKey));
    const rows: StoredEventRow[] = await tx.query(
      `SELECT e.id, e.organization_id, e.project_id, e.environment_id, e.mode, e.meter, e.quantity::text, e.amount::text, e.idempotency_key,
              e.occurred_at, e.created_at, e.metadata, k.request_hash
         FROM usage_idempotency_keys k JOIN usage_events e ON e.id = k.usage_event_id
        WHERE k.environment_id = $1 AND k.idempotency_key = ANY($2::text[])`,
      [environmentId, held.map((event) => event.idempotencyKey)],
    );
    const byKey = new Map(rows.map((row) => [row.idempotency_key, row]));
    const conflicts = held.filter((event) => byKey.get(event.idempotencyKey)?.request_hash !== event.requestHash);
    if (conflicts.length > 0) {
      const [first] = conflicts;
      throw new AppError(
        ErrorCode.CONFLICT,
        `The idempotency key "${first.idempotencyKey.slice(0, 64)}" was used in the last ${IDEMPOTENCY_WINDOW_HOURS} hours with a different event. ` +
          'Send the same event again to get its result, or use a new key for a new event. Nothing was recorded.',
        { field: 'idempotencyKey', events: conflicts.slice(0, LISTED_EVENTS).map((event) => event.index) },
      );
    }
    return byKey;
  }

  private async insertEvents(tx: Queryable, key: ApiKeyCaller, events: PricedEvent[], ids: string[], now: Date): Promise<void> {
    await tx.query(
      `INSERT INTO usage_events (id, organization_id, project_id, environment_id, mode, meter, quantity, amount, idempotency_key, occurred_at, metadata, api_key_id, created_at)
       SELECT e.id, $1, $2, $3, $4, e.meter, e.quantity, e.amount, e.key, e.occurred_at, e.metadata, $5, $6
         FROM unnest($7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::text[], $12::timestamptz[], $13::jsonb[])
              AS e(id, meter, quantity, amount, key, occurred_at, metadata)`,
      [
        key.organizationId,
        key.projectId,
        key.environmentId,
        key.mode,
        key.keyId,
        now,
        events.map((e) => ids[e.index]),
        events.map((e) => e.meter),
        events.map((e) => e.quantity),
        events.map((e) => e.amount),
        events.map((e) => e.idempotencyKey),
        events.map((e) => e.occurredAt),
        events.map((e) => (e.metadata ? JSON.stringify(e.metadata) : null)),
      ],
    );
  }
}

/** INSUFFICIENT_CREDITS, naming the events (by index) that the balance and overdraft could not cover. */
function insufficientCredits(account: LockedAccount, charged: PricedEvent[], refused: PricedEvent[], batch: boolean): AppError {
  const cost = charged.reduce((sum, event) => sum + event.amount, 0);
  const which = batch
    ? `events[${refused[0].index}]${refused.length > 1 ? ` and ${refused.length - 1} after it` : ''} cannot be covered`
    : 'this event cannot be covered';
  return new AppError(
    ErrorCode.INSUFFICIENT_CREDITS,
    `Not enough credits: ${which}. The ${batch ? 'batch costs' : 'event costs'} ${cost} credits and ${Math.max(0, account.spendable)} are available` +
      `${account.overdraftLimit > 0 ? ' (overdraft included)' : ''}. Nothing was recorded.`,
    { available: account.balance, required: cost, events: refused.slice(0, LISTED_EVENTS).map((event) => event.index) },
  );
}
