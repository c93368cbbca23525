// The AuditEvent API type: one change to an organization, who made it, and what it changed.
import { Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType, DateTime, enumOf, JSONObject } from '@orgapi/shared';
import { User } from '../memberships/membership.type';
import { ACTOR_TYPES, type ActorType } from './actor';

const ACTOR_DESCRIPTIONS: Record<ActorType, string> = {
  USER: 'A person, signed in.',
  PERSONAL_ACCESS_TOKEN: "A script using one of a person's personal access tokens.",
  API_KEY: "A machine client using an environment's secret key.",
  SYSTEM: 'The platform itself (scheduled work, operators).',
};

export const AuditActorType = enumOf('AuditActorType', 'What kind of caller made a change.', ACTOR_TYPES, ACTOR_DESCRIPTIONS);

@ObjectType({ simpleResolvers: true, description: 'Who made a change.' })
export class AuditActor {
  @Field(() => AuditActorType, { description: 'A person, a personal access token, an API key or the platform.' })
  type!: ActorType;

  @Field(() => ID, { nullable: true, description: 'The user, token or key that acted; null for the platform.' })
  id!: string | null;

  @Field(() => User, { nullable: true, description: 'The person behind the change (the owner of a token); null for keys and the platform.' })
  user!: User | null;
}

@ObjectType({ simpleResolvers: true, description: 'What a change was made to.' })
export class AuditTarget {
  @Field({ description: 'The kind of object: `organization`, `membership`, `invitation`, `role`, `domain`, `project` …' })
  type!: string;

  @Field(() => ID, { description: 'Its ID.' })
  id!: string;
}

@ObjectType({ simpleResolvers: true, description: 'One change to an organization, as its audit log keeps it: immutable, newest first.' })
export class AuditEvent {
  @Field(() => ID, { description: 'Opaque ID, prefixed `aud_`; sorts by time.' })
  id!: string;

  @Field({ description: 'What happened, as `object.verb` (`organization.updated`, `member.role_updated`, `invitation.created` …).' })
  action!: string;

  @Field(() => AuditActor, { description: 'Who made the change.' })
  actor!: AuditActor;

  @Field(() => AuditTarget, { description: 'What the change was made to.' })
  target!: AuditTarget;

  @Field(() => JSONObject, { nullable: true, description: 'The changed fields before the change (null for a creation). Secrets are never recorded.' })
  before!: Record<string, unknown> | null;

  @Field(() => JSONObject, { nullable: true, description: 'The changed fields after the change (null for a removal). Secrets are never recorded.' })
  after!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'The address the request came from, as the gateway saw it.' })
  ipAddress!: string | null;

  @Field(() => String, { nullable: true, description: 'The request ID (`x-request-id`), to find the request in the services’ logs.' })
  requestId!: string | null;

  @Field(() => DateTime, { description: 'When the change was made.' })
  occurredAt!: Date;

  // Not in the schema: the organization the event belongs to.
  organizationId!: string;
}

export const AuditEventConnection = ConnectionType(AuditEvent, 'AuditEvent', 'audit event');
