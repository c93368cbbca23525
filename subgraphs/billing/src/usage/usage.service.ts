// The usage report of a period, from its grouped totals: every day, every project, meter and mode, in the order shown. Knows nothing of GraphQL.
import { ENVIRONMENT_MODES } from '@orgapi/shared';
import { daysOf, type UsagePeriod } from './usage-period';
import type { UsageGroup } from './usage.loader';
import type { CreditUsageDay, CreditUsageEnvironmentMode, CreditUsageMeter, CreditUsageProject } from './usage.type';

// IDs and meter names are ASCII: code point order is the order PostgreSQL's "C" collation gives them too.
const inCodePointOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class UsageService {
  /** Credits used over the period, from its groups of any one breakdown. */
  total(groups: readonly UsageGroup[]): number {
    return groups.reduce((sum, group) => sum + group.amount, 0);
  }

  /** The period's total, and every UTC day of it, days without usage as 0. */
  report(days: readonly UsageGroup[], period: UsagePeriod): { total: number; byDay: CreditUsageDay[] } {
    const byDate = new Map(days.map((day) => [day.group, day.amount]));
    return { total: this.total(days), byDay: daysOf(period).map((date) => ({ date, amount: byDate.get(date) ?? 0 })) };
  }

  /** The projects with usage in the period (SANDBOX usage alone included, at 0), the largest spender first (ties by ID, so the order is stable). */
  byProject(projects: readonly UsageGroup[]): CreditUsageProject[] {
    return [...projects].sort((a, b) => b.amount - a.amount || inCodePointOrder(a.group, b.group)).map((project) => ({ project: { id: project.group }, amount: project.amount }));
  }

  /** The meters used, by name. */
  byMeter(meters: readonly UsageGroup[]): CreditUsageMeter[] {
    return [...meters].sort((a, b) => inCodePointOrder(a.group, b.group)).map((meter) => ({ meter: meter.group, amount: meter.amount, quantity: meter.quantity }));
  }

  /** Both modes, SANDBOX then LIVE, a mode without usage as 0: a chart compares them without checking which came back. */
  byEnvironmentMode(modes: readonly UsageGroup[]): CreditUsageEnvironmentMode[] {
    const byMode = new Map(modes.map((mode) => [mode.group, mode]));
    return ENVIRONMENT_MODES.map((mode) => ({ mode, amount: byMode.get(mode)?.amount ?? 0, quantity: byMode.get(mode)?.quantity ?? 0 }));
  }
}
