// Billing's API types, and the entities it extends with credit fields.
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateScalar, SafeInt } from '@orgapi/shared';

// Each extended entity receives the caller's permissions from the organizations subgraph (@requires), through the
// gateway: billing never reads the organizations tables, and only the gateway can call billing.
const permissionsDescription = "The caller's permissions in the owning organization (resolved by the organizations subgraph).";

@ObjectType({ simpleResolvers: true, description: 'An organization, with its credits.' })
@Directive('@key(fields: "id")')
export class Organization {
  @Field(() => ID, { description: 'Opaque ID.' })
  id!: string;

  @Field(() => [String], { description: permissionsDescription })
  @Directive('@external')
  viewerPermissions?: string[];
}

@ObjectType({ simpleResolvers: true, description: 'A project, with the credits it used.' })
@Directive('@key(fields: "id")')
export class Project {
  @Field(() => ID, { description: 'Opaque ID.' })
  id!: string;

  @Field(() => [String], { description: permissionsDescription })
  @Directive('@external')
  viewerPermissions?: string[];
}

@ObjectType({ simpleResolvers: true, description: 'An environment, with the credits it used.' })
@Directive('@key(fields: "id")')
export class Environment {
  @Field(() => ID, { description: 'Opaque ID.' })
  id!: string;

  @Field(() => [String], { description: permissionsDescription })
  @Directive('@external')
  viewerPermissions?: string[];
}

@ObjectType({ simpleResolvers: true, description: "An organization's credits: what was granted, what was used, what is left." })
export class CreditBalance {
  @Field(() => SafeInt, { description: 'Credits left to spend: granted minus used. Negative when usage ran past the grants.' })
  available!: number;

  @Field(() => SafeInt, { description: 'All credits ever granted.' })
  granted!: number;

  @Field(() => SafeInt, { description: 'All credits ever used.' })
  used!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Credits used on one day (UTC).' })
export class CreditUsageDay {
  @Field(() => DateScalar, { description: 'The day, in UTC.' })
  date!: string;

  @Field(() => SafeInt, { description: 'Credits used that day.' })
  amount!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Credits used over a period.' })
export class CreditUsage {
  @Field(() => SafeInt, { description: 'Credits used in the period.' })
  total!: number;

  @Field(() => [CreditUsageDay], { description: 'Credits used on each day of the period (UTC), days without usage included as 0.' })
  byDay!: CreditUsageDay[];
}
