// The API types of environments' configuration history: versions, the changes each made, and a promotion's preview.
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType, DateTime, enumOf, JSONObject, JSONScalar, ListSize } from '@orgapi/shared';
import { AuditActor } from '../audit/audit.type';

/**
 * The most changes a diff lists: each is an object a query pays for, and a 64 KiB configuration could change in
 * thousands of places. `changeCount` says how many there were; both configurations are there to compare in full.
 */
export const MAX_LISTED_CHANGES = 200;

export const VERSION_SOURCES = ['CREATED', 'UPDATE', 'ROLLBACK', 'PROMOTION'] as const;
export type VersionSource = (typeof VERSION_SOURCES)[number];

export const ConfigurationVersionSource = enumOf('ConfigurationVersionSource', 'How a configuration version came to be.', VERSION_SOURCES, {
  CREATED: 'The empty configuration the environment was created with (version 1).',
  UPDATE: 'updateEnvironmentConfiguration.',
  ROLLBACK: 'rollbackConfiguration: the content of an earlier version (`sourceVersion`).',
  PROMOTION: "promoteConfiguration: the SANDBOX environment's configuration (its version `sourceVersion`), copied to LIVE.",
});

const CHANGE_OPS = ['add', 'remove', 'replace'] as const;
export const ConfigurationChangeOp = enumOf('ConfigurationChangeOp', 'What a change did at its path (RFC 6902 operations).', CHANGE_OPS, {
  add: 'A key or item that was not there.',
  remove: 'A key or item that is gone.',
  replace: 'A value that changed.',
});

@ObjectType({ simpleResolvers: true, description: 'One change between two configurations, as a JSON Patch (RFC 6902) operation.' })
export class ConfigurationChange {
  @Field(() => ConfigurationChangeOp, { description: '`add`, `remove` or `replace`.' })
  op!: (typeof CHANGE_OPS)[number];

  @Field({ description: 'Where, as a JSON Pointer (RFC 6901): `/features/beta`.' })
  path!: string;

  @Field(() => JSONScalar, { nullable: true, description: 'The new value (`add`, `replace`); null for `remove`.' })
  value?: unknown;

  @Field(() => JSONScalar, { nullable: true, description: 'The value before (`replace`, `remove`); null for `add`.' })
  previousValue?: unknown;
}

@ObjectType({ simpleResolvers: true, description: "One immutable version of an environment's configuration." })
export class ConfigurationVersion {
  @Field(() => ID, { description: 'Opaque ID, prefixed `cfv_`.' })
  id!: string;

  @Field(() => Int, { description: 'The version number: 1 for the configuration the environment was created with, then one more for each change.' })
  version!: number;

  @Field(() => JSONObject, { description: 'The whole configuration as of this version.' })
  configuration!: Record<string, unknown>;

  @Field(() => [ConfigurationChange], { description: `What this version changed from the one before, the first ${MAX_LISTED_CHANGES} changes; empty for version 1.` })
  @ListSize(MAX_LISTED_CHANGES)
  diff!: ConfigurationChange[];

  @Field(() => Int, { description: 'How many changes this version made, all of them (`diff` lists the first 200).' })
  changeCount!: number;

  @Field(() => ConfigurationVersionSource, { description: 'How it came to be: an update, a rollback or a promotion.' })
  source!: VersionSource;

  @Field(() => Int, { nullable: true, description: "For a rollback, the version whose content it restored; for a promotion, the SANDBOX's version it copied." })
  sourceVersion!: number | null;

  @Field(() => AuditActor, { nullable: true, description: 'Who made it; null for version 1, made with the project.' })
  author!: AuditActor | null;

  @Field(() => DateTime, { description: 'When it was made.' })
  createdAt!: Date;

  // Not in the schema: the page loader groups by it.
  environmentId!: string;
}

export const ConfigurationVersionConnection = ConnectionType(ConfigurationVersion, 'ConfigurationVersion', 'configuration version');

@ObjectType({ simpleResolvers: true, description: "What promoteConfiguration would change in LIVE: the SANDBOX configuration's differences from LIVE's." })
export class ConfigurationDiff {
  @Field(() => Int, { description: "SANDBOX's current configuration version." })
  sandboxVersion!: number;

  @Field(() => Int, { description: "LIVE's current configuration version: pass it as promoteConfiguration's `expectedLiveVersion`." })
  liveVersion!: number;

  @Field(() => [ConfigurationChange], { description: `The changes promotion would make to LIVE, the first ${MAX_LISTED_CHANGES}; empty when both are equal.` })
  @ListSize(MAX_LISTED_CHANGES)
  changes!: ConfigurationChange[];

  @Field(() => Int, { description: 'How many changes promotion would make, all of them.' })
  changeCount!: number;
}
