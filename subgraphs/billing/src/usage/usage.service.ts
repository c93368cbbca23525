// Recording usage, and the usage report of a period from its daily totals. Knows nothing of GraphQL.
import type { EntityManager } from 'typeorm';
import { newId } from '@orgapi/shared';
import { daysOf, type UsagePeriod } from './usage-period';
import type { DailyUsage } from './usage.loader';
import type { CreditUsage } from './usage.type';

/** API calls made in one environment at one moment. Each call costs one credit. */
export interface ApiCalls {
  organizationId: string;
  projectId: string;
  environmentId: string;
  calls: number;
  occurredAt: Date;
}

// 6 parameters an event: 500 events stay far below PostgreSQL's 65,535 parameters a statement.
const EVENTS_PER_STATEMENT = 500;

export class UsageService {
  /** `db` is the data source's manager, or a transaction's when the caller groups several writes. */
  constructor(private readonly db: EntityManager) {}

  /** Records the calls as usage events, all or none. */
  async record(usage: readonly ApiCalls[]): Promise<void> {
    const rows = usage.map((calls) => [newId('use'), calls.organizationId, calls.projectId, calls.environmentId, calls.calls, calls.occurredAt]);
    await this.db.transaction(async (tx) => {
      for (let start = 0; start < rows.length; start += EVENTS_PER_STATEMENT) {
        const batch = rows.slice(start, start + EVENTS_PER_STATEMENT);
        const values = batch.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, 'api_call', $${i * 6 + 5}, $${i * 6 + 5}, $${i * 6 + 6})`);
        await tx.query(
          `INSERT INTO usage_events (id, organization_id, project_id, environment_id, metric, quantity, amount, occurred_at) VALUES ${values.join(', ')}`,
          batch.flat(),
        );
      }
    });
  }

  /** The period's total, and every UTC day of it, days without usage as 0. */
  report(days: readonly DailyUsage[], period: UsagePeriod): CreditUsage {
    const byDate = new Map(days.map((day) => [day.date, day.amount]));
    return {
      total: days.reduce((sum, day) => sum + day.amount, 0),
      byDay: daysOf(period).map((date) => ({ date, amount: byDate.get(date) ?? 0 })),
    };
  }
}
