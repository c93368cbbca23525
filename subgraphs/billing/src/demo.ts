// Demo billing for `npm start`, written through the ledger and metering services on a simulated clock: grants of
// each category, 90 days of usage on several meters in both modes, a promotional grant that expired with credits
// left, and a low-balance threshold the usage crosses near the end (one BALANCE_DROPPED alert).
import type { DataSource, EntityManager } from 'typeorm';
import type { ApiKeyCaller, EnvironmentMode } from '@orgapi/shared';
import { LedgerService } from './ledger/ledger.service';
import { SYSTEM_ACTOR } from './ledger/locked-account';
import { MeteringService } from './metering/metering.service';
import type { Meter } from './meters/meters';

export interface DemoUsageTarget {
  id: string;
  projects: { id: string; environments: { id: string; mode: EnvironmentMode }[] }[];
}

/** The price list `npm start` runs with when METERS is not set: several meters, so reports have something to break down. */
export const DEMO_METERS: Meter[] = [
  { name: 'requests', description: 'API requests.', creditsPerUnit: 1 },
  { name: 'compute_seconds', description: 'Seconds of compute.', creditsPerUnit: 2 },
  { name: 'emails', description: 'Emails sent.', creditsPerUnit: 5 },
];

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 90;
// Each meter's share of an environment's daily activity: requests dominate, emails are rare.
const METER_VOLUME: Record<string, number> = { requests: 1, compute_seconds: 0.3, emails: 0.05 };

/** A small deterministic generator, so every fresh demo database shows the same chart shape. */
function pseudoRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

interface PlannedBatch {
  day: number;
  key: ApiKeyCaller;
  events: { meter: string; quantity: number; idempotencyKey: string; occurredAt: Date }[];
  cost: number;
}

/** One batch per environment per day for `HISTORY_DAYS` days up to `today`: LIVE busier than SANDBOX, weekdays busier than weekends, a slow upward trend. */
function planUsage(organization: DemoUsageTarget, meters: readonly Meter[], today: number): PlannedBatch[] {
  const random = pseudoRandom(organization.projects.length * 7919 + organization.id.length);
  const batches: PlannedBatch[] = [];
  for (let day = HISTORY_DAYS; day >= 0; day--) {
    const date = new Date(today - day * DAY_MS);
    const weekday = date.getUTCDay() % 6 === 0 ? 0.5 : 1;
    const trend = 1 + (HISTORY_DAYS - day) / HISTORY_DAYS;
    for (const [index, project] of organization.projects.entries()) {
      for (const environment of project.environments) {
        const key: ApiKeyCaller = { keyId: 'demo', kind: 'SECRET', organizationId: organization.id, projectId: project.id, environmentId: environment.id, mode: environment.mode };
        const scale = (environment.mode === 'LIVE' ? 60 : 15) * (index + 1) * weekday * trend;
        const events = meters.flatMap((meter) =>
          [0, 1, 2, 3].map((moment) => ({
            meter: meter.name,
            quantity: Math.max(1, Math.round(scale * (METER_VOLUME[meter.name] ?? 0.2) * (0.5 + random()))),
            idempotencyKey: `demo-${environment.id}-${meter.name}-${day}-${moment}`,
            occurredAt: new Date(today - day * DAY_MS + moment * 6 * 3_600_000 + 1_800_000),
          })),
        );
        const prices = new Map(meters.map((meter) => [meter.name, meter.creditsPerUnit]));
        const cost = environment.mode === 'LIVE' ? events.reduce((sum, event) => sum + event.quantity * prices.get(event.meter)!, 0) : 0;
        batches.push({ day, key, events, cost });
      }
    }
  }
  return batches;
}

/**
 * Seeds the organization's billing history, unless it has a ledger already. Grants are sized from the planned usage
 * so the story holds whatever the meters cost: the welcome grant outlives a third of its credits, and the balance
 * ends at half the low-balance threshold.
 */
export async function seedDemoCredits(db: DataSource, organization: DemoUsageTarget, meters: readonly Meter[] = DEMO_METERS): Promise<void> {
  // One transaction for the whole history: a running service's expiry sweep (which reads the real clock) waits on
  // the account's lock instead of expiring the welcome grant while the seed is still replaying its first month.
  await db.transaction(async (tx) => {
    const [started] = await tx.query('SELECT 1 FROM ledger_entries WHERE organization_id = $1 LIMIT 1', [organization.id]);
    if (!started) await replayHistory(tx, organization, meters);
  });
}

async function replayHistory(tx: EntityManager, organization: DemoUsageTarget, meters: readonly Meter[]): Promise<void> {
  const ledger = new LedgerService(tx);
  const metering = new MeteringService(tx, meters);
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const at = (daysAgo: number, hour = 0) => new Date(today - daysAgo * DAY_MS + hour * 3_600_000);
  const plan = planUsage(organization, meters, today);
  const cost = (fromDaysAgo: number, toDaysAgo: number) =>
    plan.filter((batch) => batch.day <= fromDaysAgo && batch.day > toDaysAgo).reduce((sum, batch) => sum + batch.cost, 0);

  const firstMonth = cost(HISTORY_DAYS, 60);
  const lastMonth = cost(30, -1);
  const threshold = Math.max(1_000, Math.round((lastMonth * 0.25) / 1_000) * 1_000);
  const adjustment = 2_000;
  const spring = Math.max(1_000, Math.round(lastMonth * 0.1));
  const welcome = Math.round(firstMonth * 1.5);
  // The welcome grant pays for the first month and its last third expires; everything after is paid by the rest.
  const purchased = Math.max(1_000, cost(60, -1) - adjustment - spring + Math.round(threshold / 2));

  const operator = SYSTEM_ACTOR;
  await ledger.grant({ organizationId: organization.id, amount: welcome, category: 'PROMOTIONAL', priority: 10, expiresAt: at(60), description: 'Welcome credits', reference: 'signup' }, operator, at(HISTORY_DAYS + 1));
  await ledger.grant({ organizationId: organization.id, amount: purchased, category: 'PURCHASED', reference: 'INV-2026-0001' }, operator, at(HISTORY_DAYS + 1, 1));
  await ledger.setLowBalanceThreshold(organization.id, threshold, operator, at(HISTORY_DAYS + 1, 2));
  const later = [
    { daysAgo: 40, terms: { organizationId: organization.id, amount: adjustment, category: 'ADJUSTMENT' as const, description: 'Refund: duplicate requests during an incident', reference: 'SUP-1042' } },
    { daysAgo: 20, terms: { organizationId: organization.id, amount: spring, category: 'PROMOTIONAL' as const, expiresAt: at(-40), description: 'Spring campaign' } },
  ];
  const now = Date.now();
  const days = new Set<number>();
  for (const batch of plan) {
    const when = new Date(Math.min(now, at(batch.day, 23).getTime()));
    if (!days.has(batch.day)) {
      days.add(batch.day);
      for (const grant of later.filter((g) => g.daysAgo === batch.day)) await ledger.grant(grant.terms, operator, at(batch.day));
    }
    // Today's batch holds only what already happened.
    const events = batch.events.filter((event) => event.occurredAt <= when);
    if (events.length > 0) await metering.record(batch.key, events, { batch: true, now: when });
  }
}
