// creditUsage on organizations, projects and environments.
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Cost, DateTime } from '@orgapi/shared';
import { authorize } from '../access';
import type { BillingContext } from '../context';
import { Environment, Organization, Project, requiresViewerPermissions, type ExtendedTypeName } from '../extended.type';
import { MAX_PERIOD_DAYS, usagePeriod } from './usage-period';
import type { UsageScope } from './usage.loader';
import { CreditUsage } from './usage.type';

// Each extended type reports the usage rows that carry its ID.
const SCOPES: Record<ExtendedTypeName, UsageScope> = { Organization: 'organization_id', Project: 'project_id', Environment: 'environment_id' };

async function creditUsage(
  context: BillingContext,
  typename: ExtendedTypeName,
  entity: { id: string; viewerPermissionsClaim?: string | null },
  from: Date,
  to: Date,
): Promise<CreditUsage> {
  await authorize(context, typename, entity, 'billing:read');
  const scope = SCOPES[typename];
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
    return creditUsage(context, 'Organization', organization, from, to);
  }
}

@Resolver(() => Project)
export class ProjectUsageResolver {
  @FieldResolver(() => CreditUsage, { nullable: true, description: DESCRIPTION })
  @requiresViewerPermissions()
  @Cost(REPORT_WEIGHT)
  creditUsage(@Root() project: Project, @fromArg() from: Date, @toArg() to: Date, @Ctx() context: BillingContext): Promise<CreditUsage> {
    return creditUsage(context, 'Project', project, from, to);
  }
}

@Resolver(() => Environment)
export class EnvironmentUsageResolver {
  @FieldResolver(() => CreditUsage, { nullable: true, description: DESCRIPTION })
  @requiresViewerPermissions()
  @Cost(REPORT_WEIGHT)
  creditUsage(@Root() environment: Environment, @fromArg() from: Date, @toArg() to: Date, @Ctx() context: BillingContext): Promise<CreditUsage> {
    return creditUsage(context, 'Environment', environment, from, to);
  }
}
