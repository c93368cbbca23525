// Credit usage over a period, in total and broken down by UTC day, project, meter and environment mode, as the API shows it.
import { Field, ObjectType } from 'type-graphql';
import { DateScalar, ENVIRONMENT_MODES, ListSize, SafeInt } from '@orgapi/shared';
import { EnvironmentMode, Project } from '../extended.type';
import { MAX_METERS } from '../meters/meters';
import { MAX_PERIOD_DAYS, type UsagePeriod } from './usage-period';
import type { UsageScope } from './usage.loader';

// The organizations subgraph's default MAX_PROJECTS_PER_ORGANIZATION: the schema is the same for every deployment, and
// billing does not read organizations' configuration. Deleted projects with usage can add a few.
const PROJECTS_LIST_SIZE = 100;

@ObjectType({ simpleResolvers: true, description: 'Credits used on one day (UTC).' })
export class CreditUsageDay {
  @Field(() => DateScalar, { description: 'The day, in UTC.' })
  date!: string;

  @Field(() => SafeInt, { description: 'Credits used that day.' })
  amount!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Credits one project used over the period.' })
export class CreditUsageProject {
  @Field(() => Project, { nullable: true, description: 'The project; null once it has been deleted (its usage still counts in the report).' })
  project!: Project | null;

  @Field(() => SafeInt, { description: 'Credits the project used in the period.' })
  amount!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Usage of one meter over the period.' })
export class CreditUsageMeter {
  @Field({ description: "The meter's name, as `Query.meters` lists it (a meter since removed from the price list keeps its usage here)." })
  meter!: string;

  @Field(() => SafeInt, { description: 'Credits charged for the meter in the period (SANDBOX usage costs none).' })
  amount!: number;

  @Field(() => SafeInt, { description: 'Units of the meter used in the period, SANDBOX usage included.' })
  quantity!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Usage in the environments of one mode over the period.' })
export class CreditUsageEnvironmentMode {
  @Field(() => EnvironmentMode, { description: 'SANDBOX or LIVE.' })
  mode!: EnvironmentMode;

  @Field(() => SafeInt, { description: 'Credits charged in environments of this mode: always 0 for SANDBOX, which costs nothing.' })
  amount!: number;

  @Field(() => SafeInt, { description: "Units used in environments of this mode, summed over every meter (see `byMeter` for each meter's)." })
  quantity!: number;
}

/**
 * One organization's, project's or environment's usage over a period. It carries only whose and when: each field is
 * read by CreditUsageResolver when a query selects it, so a breakdown nobody asked for costs no statement.
 */
@ObjectType({ description: 'Credits used over a period: the total, and the same usage by day, by project, by meter and by environment mode.' })
export class CreditUsage {
  @Field(() => SafeInt, { description: 'Credits used in the period.' })
  total!: number;

  @Field(() => [CreditUsageDay], { description: 'Credits used on each day of the period (UTC), in order, days without usage included as 0.' })
  // Priced as the longest period: the size depends on `from` and `to`, which no list-size directive can express.
  @ListSize(MAX_PERIOD_DAYS)
  byDay!: CreditUsageDay[];

  @Field(() => [CreditUsageProject], {
    description: 'Credits used by each project with usage in the period, the largest first (ties by project ID); a deleted project is listed with a null `project`.',
  })
  @ListSize(PROJECTS_LIST_SIZE)
  byProject!: CreditUsageProject[];

  @Field(() => [CreditUsageMeter], { description: 'Usage of each meter used in the period, by meter name.' })
  @ListSize(MAX_METERS)
  byMeter!: CreditUsageMeter[];

  @Field(() => [CreditUsageEnvironmentMode], { description: 'Usage in SANDBOX and in LIVE environments, both always listed, in that order.' })
  @ListSize(ENVIRONMENT_MODES.length)
  byEnvironmentMode!: CreditUsageEnvironmentMode[];

  // Not in the schema: whose usage and when, for the loaders of the fields above (usage.resolver.ts).
  scope!: UsageScope;
  key!: string;
  period!: UsagePeriod;
  /** Whether `byDay` is selected too: then `total` is summed from the same statement's days. */
  withDays!: boolean;
}
