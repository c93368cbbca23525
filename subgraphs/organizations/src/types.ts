// The organizations subgraph's API types. Entities carry @key so the other subgraphs can extend them.
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, DateTime, JSONObject, type Role } from '@orgapi/shared';

export enum MembershipRole {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  BILLING = 'BILLING',
  MEMBER = 'MEMBER',
  VIEWER = 'VIEWER',
}
// The API enum and the shared permission matrix must name the same roles.
export const ROLE_ENUM: Record<Role, MembershipRole> = MembershipRole;

registerEnumType(MembershipRole, {
  name: 'MembershipRole',
  description: 'What a member may do in an organization. See `Organization.viewerPermissions` for the exact permissions.',
  valuesConfig: {
    OWNER: { description: 'Everything, including deleting the organization and managing other owners.' },
    ADMIN: { description: 'Everything except deleting the organization and managing owners.' },
    BILLING: { description: 'Billing and credits, and reading projects.' },
    MEMBER: { description: 'Reads and writes projects and environments; reads members.' },
    VIEWER: { description: 'Reads only: no secrets, no billing.' },
  },
});

export enum EnvironmentMode {
  SANDBOX = 'SANDBOX',
  LIVE = 'LIVE',
}

registerEnumType(EnvironmentMode, {
  name: 'EnvironmentMode',
  description: 'Each project has one environment of each mode.',
  valuesConfig: {
    SANDBOX: { description: 'For building and testing; nothing real happens.' },
    LIVE: { description: 'For production traffic.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'An independent workspace (a client, a company, a team) with its own projects, members and billing.' })
@Directive('@key(fields: "id")')
export class Organization {
  @Field(() => ID, { description: 'Opaque ID, prefixed `org_`.' })
  id!: string;

  @Field({ description: 'Unique, URL-safe handle, e.g. `acme`.' })
  slug!: string;

  @Field({ description: 'Display name.' })
  name!: string;

  @Field(() => DateTime, { description: 'When the organization was created.' })
  createdAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'A project: the configuration of one integration, with a SANDBOX and a LIVE environment.' })
@Directive('@key(fields: "id")')
export class Project {
  @Field(() => ID, { description: 'Opaque ID, prefixed `prj_`.' })
  id!: string;

  @Field({ description: 'Display name, unique within the organization.' })
  name!: string;

  @Field(() => DateTime, { description: 'When the project was created.' })
  createdAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'One mode (SANDBOX or LIVE) of a project, with its own public ID, configuration and API keys.' })
@Directive('@key(fields: "id")')
export class Environment {
  @Field(() => ID, { description: 'The public environment ID, prefixed `env_`.' })
  id!: string;

  @Field(() => EnvironmentMode, { description: 'SANDBOX or LIVE.' })
  mode!: EnvironmentMode;

  @Field(() => JSONObject, { description: "This environment's configuration, a JSON object." })
  configuration!: Record<string, unknown>;

  @Field(() => DateTime, { description: 'When the environment was created.' })
  createdAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: "A user's place in an organization, with the role that sets what they may do." })
export class Membership {
  @Field(() => ID, { description: 'Opaque ID, prefixed `mem_`.' })
  id!: string;

  @Field(() => MembershipRole, { description: 'The role of the member in this organization.' })
  role!: MembershipRole;

  @Field(() => DateTime, { description: 'When the user joined the organization.' })
  joinedAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'A user, as seen from organizations: the memberships that connect them to organizations.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID, { description: 'Opaque ID, prefixed `usr_`.' })
  id!: string;
}

export const MembershipConnection = ConnectionType(Membership, 'Membership', 'membership');
export const ProjectConnection = ConnectionType(Project, 'Project', 'project');
