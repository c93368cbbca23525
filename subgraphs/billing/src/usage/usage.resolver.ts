// creditUsage on organizations, projects and environments.
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Cost, DateTime } from '@orgapi/shared';
import { authorize } from '../access';
import type { BillingContext } from '../context';
import { Environment, Organization, Project, requiresViewerPermissions } from '../extended.type';
import { MAX_PERIOD_DAYS, usagePeriod } from './usage-period';
import type { UsageScope } from './usage.loader';
import { CreditUsage } from './usage.type';

async function creditUsage(
  context: BillingContext,
  entity: { id: string; viewerPermissions?: string[] },
  scope: UsageScope,
  from: Date,
  to: Date,
): Promise<CreditUsage> {
  authorize(context, entity, 'billing:read');
  const period = usagePeriod(from, to);
  return context.usage.report(await context.loaders.usageByDay({ scope, period }).load(entity.id), period);
}

// A report sums up to a year of usage events by day and builds every day of the period, even for `total` alone:
// about ten objects' worth of work. Its `byDay` list is priced on its own (a year of days).
const REPORT_WEIGHT = 10;
const DESCRIPTION = `Credits used in the period [from, to), at most ${MAX_PERIOD_DAYS} days. Needs \`billing:read\` (null with a FORBIDDEN error otherwise).`;
const fromArg = () => Arg('from', () => DateTime, { description: 'Start of the period (inclusive).' });
const toArg = () => Arg('to', () => DateTime, { description: 'End of the period (exclusive).' });

@Resolver(() => Organization)
export class OrganizationUsageResolver {
  @FieldResolver(() => CreditUsage, { nullable: true, description: DESCRIPTION })
  @requiresViewerPermissions()
  @Cost(REPORT_WEIGHT)
  creditUsage(@Root() organization: Organization, @fromArg() from: Date, @toArg() to: Date, @Ctx() context: BillingContext): Promise<CreditUsage> {
    return creditUsage(context, organization, 'organization_id', from, to);
  }
}

@Resolver(() => Project)
export class ProjectUsageResolver {
  @FieldResolver(() => CreditUsage, { nullable: true, description: DESCRIPTION })
  @requiresViewerPermissions()
  @Cost(REPORT_WEIGHT)
  creditUsage(@Root() project: Project, @fromArg() from: Date, @toArg() to: Date, @Ctx() context: BillingContext): Promise<CreditUsage> {
    return creditUsage(context, project, 'project_id', from, to);
  }
}

@Resolver(() => Environment)
export class EnvironmentUsageResolver {
  @FieldResolver(() => CreditUsage, { nullable: true, description: DESCRIPTION })
  @requiresViewerPermissions()
  @Cost(REPORT_WEIGHT)
  creditUsage(@Root() environment: Environment, @fromArg() from: Date, @toArg() to: Date, @Ctx() context: BillingContext): Promise<CreditUsage> {
    return creditUsage(context, environment, 'environment_id', from, to);
  }
}
