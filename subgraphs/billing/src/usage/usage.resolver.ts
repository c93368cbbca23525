// creditUsage on organizations, projects and environments, and the report's fields, each read only when selected.
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { Cost, DateTime } from '@orgapi/shared';
import { authorize } from '../access';
import type { BillingContext } from '../context';
import { Environment, Organization, Project, requiresViewerPermissions, type ExtendedTypeName } from '../extended.type';
import { MAX_PERIOD_DAYS, usagePeriod } from './usage-period';
import type { UsageBreakdown, UsageGroup, UsageScope } from './usage.loader';
import { CreditUsage, type CreditUsageDay, type CreditUsageEnvironmentMode, type CreditUsageMeter, type CreditUsageProject } from './usage.type';

// Each extended type reports the usage rows that carry its ID.
const SCOPES: Record<ExtendedTypeName, UsageScope> = { Organization: 'organization_id', Project: 'project_id', Environment: 'environment_id' };

/** Whether the field's selection, fragments included, asks for `name` directly: `total` then shares `byDay`'s statement. */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const within = (selectionSet: SelectionSetNode | undefined): boolean =>
    (selectionSet?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return within(selection.selectionSet);
      return within(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => within(node.selectionSet));
}

async function creditUsage(
  context: BillingContext,
  typename: ExtendedTypeName,
  entity: { id: string; viewerPermissionsClaim?: string | null },
  from: Date,
  to: Date,
  info: GraphQLResolveInfo,
): Promise<CreditUsage> {
  await authorize(context, typename, entity, 'billing:read');
  return Object.assign(new CreditUsage(), { scope: SCOPES[typename], key: entity.id, period: usagePeriod(from, to), withDays: selects(info, 'byDay') });
}

// A report sums up to 400 days of rollups for each breakdown it is asked for: about ten objects' worth of work. Its
// lists are priced on their own (byDay as the longest period).
const REPORT_WEIGHT = 10;
const DESCRIPTION =
  `Credits used from \`from\` (included) to \`to\` (excluded), at most ${MAX_PERIOD_DAYS} days (\`byDay\` splits it into UTC days); a longer or empty ` +
  'period is refused with BAD_USER_INPUT on `to`. Usage is counted by the UTC hour: every hour the period overlaps counts in full, so a period ' +
  'ending now includes the current hour so far. Needs `billing:read` (null with a FORBIDDEN error otherwise).';
const fromArg = () => Arg('from', () => DateTime, { description: 'Start of the period (inclusive).' });
const toArg = () => Arg('to', () => DateTime, { description: `End of the period (exclusive), at most ${MAX_PERIOD_DAYS} days after \`from\`.` });

@Resolver(() => Organization)
export class OrganizationUsageResolver {
  @FieldResolver(() => CreditUsage, { nullable: true, description: DESCRIPTION })
  @requiresViewerPermissions()
  @Cost(REPORT_WEIGHT)
  creditUsage(
    @Root() organization: Organization,
    @fromArg() from: Date,
    @toArg() to: Date,
    @Ctx() context: BillingContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CreditUsage> {
    return creditUsage(context, 'Organization', organization, from, to, info);
  }
}

@Resolver(() => Project)
export class ProjectUsageResolver {
  @FieldResolver(() => CreditUsage, { nullable: true, description: DESCRIPTION })
  @requiresViewerPermissions()
  @Cost(REPORT_WEIGHT)
  creditUsage(@Root() project: Project, @fromArg() from: Date, @toArg() to: Date, @Ctx() context: BillingContext, @Info() info: GraphQLResolveInfo): Promise<CreditUsage> {
    return creditUsage(context, 'Project', project, from, to, info);
  }
}

@Resolver(() => Environment)
export class EnvironmentUsageResolver {
  @FieldResolver(() => CreditUsage, { nullable: true, description: DESCRIPTION })
  @requiresViewerPermissions()
  @Cost(REPORT_WEIGHT)
  creditUsage(
    @Root() environment: Environment,
    @fromArg() from: Date,
    @toArg() to: Date,
    @Ctx() context: BillingContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CreditUsage> {
    return creditUsage(context, 'Environment', environment, from, to, info);
  }
}

/** The report's usage, grouped as one breakdown: one statement for every report of the request that asks for it. */
const groups = (context: BillingContext, usage: CreditUsage, breakdown: UsageBreakdown): Promise<UsageGroup[]> =>
  context.loaders.usage({ scope: usage.scope, period: usage.period, breakdown }).load(usage.key);

// Access was checked when the report was made (creditUsage above): its fields only read.
@Resolver(() => CreditUsage)
export class CreditUsageResolver {
  @FieldResolver()
  async total(@Root() usage: CreditUsage, @Ctx() context: BillingContext): Promise<number> {
    return context.usage.total(await groups(context, usage, usage.withDays ? 'day' : 'total'));
  }

  @FieldResolver()
  async byDay(@Root() usage: CreditUsage, @Ctx() context: BillingContext): Promise<CreditUsageDay[]> {
    return context.usage.report(await groups(context, usage, 'day'), usage.period).byDay;
  }

  @FieldResolver()
  async byProject(@Root() usage: CreditUsage, @Ctx() context: BillingContext): Promise<CreditUsageProject[]> {
    return context.usage.byProject(await groups(context, usage, 'project'));
  }

  @FieldResolver()
  async byMeter(@Root() usage: CreditUsage, @Ctx() context: BillingContext): Promise<CreditUsageMeter[]> {
    return context.usage.byMeter(await groups(context, usage, 'meter'));
  }

  @FieldResolver()
  async byEnvironmentMode(@Root() usage: CreditUsage, @Ctx() context: BillingContext): Promise<CreditUsageEnvironmentMode[]> {
    return context.usage.byEnvironmentMode(await groups(context, usage, 'mode'));
  }
}
