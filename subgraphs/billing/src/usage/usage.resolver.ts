// creditUsage on organizations, projects and environments.
import { Arg, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { DateTime } from '@orgapi/shared';
import { requirePermission } from '../access';
import type { BillingContext } from '../context';
import { Environment, Organization, Project } from '../extended.type';
import { daysOf, usagePeriod } from './usage-period';
import type { UsageScope } from './usage.loader';
import { CreditUsage } from './usage.type';

async function creditUsage(
  context: BillingContext,
  entity: { id: string; viewerPermissions?: string[] },
  scope: UsageScope,
  from: Date,
  to: Date,
): Promise<CreditUsage> {
  requirePermission(context, entity, 'billing:read');
  const period = usagePeriod(from, to);
  const rows = await context.loaders.usageByDay({ scope, period }).load(entity.id);
  const byDate = new Map(rows.map((row) => [row.date, row.amount]));
  const byDay = daysOf(period).map((date) => ({ date, amount: byDate.get(date) ?? 0 }));
  return { total: rows.reduce((sum, row) => sum + row.amount, 0), byDay };
}

const REQUIRES = '@requires(fields: "viewerPermissions")';
const DESCRIPTION = 'Credits used in the period [from, to), at most 366 days. Needs `billing:read` (null with a FORBIDDEN error otherwise).';
const fromArg = () => Arg('from', () => DateTime, { description: 'Start of the period (inclusive).' });
const toArg = () => Arg('to', () => DateTime, { description: 'End of the period (exclusive).' });

@Resolver(() => Organization)
export class OrganizationUsageResolver {
  @FieldResolver(() => CreditUsage, { nullable: true, description: DESCRIPTION })
  @Directive(REQUIRES)
  creditUsage(@Root() organization: Organization, @fromArg() from: Date, @toArg() to: Date, @Ctx() context: BillingContext): Promise<CreditUsage> {
    return creditUsage(context, organization, 'organization_id', from, to);
  }
}

@Resolver(() => Project)
export class ProjectUsageResolver {
  @FieldResolver(() => CreditUsage, { nullable: true, description: DESCRIPTION })
  @Directive(REQUIRES)
  creditUsage(@Root() project: Project, @fromArg() from: Date, @toArg() to: Date, @Ctx() context: BillingContext): Promise<CreditUsage> {
    return creditUsage(context, project, 'project_id', from, to);
  }
}

@Resolver(() => Environment)
export class EnvironmentUsageResolver {
  @FieldResolver(() => CreditUsage, { nullable: true, description: DESCRIPTION })
  @Directive(REQUIRES)
  creditUsage(@Root() environment: Environment, @fromArg() from: Date, @toArg() to: Date, @Ctx() context: BillingContext): Promise<CreditUsage> {
    return creditUsage(context, environment, 'environment_id', from, to);
  }
}
