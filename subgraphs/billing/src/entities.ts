// Stored rows of the billing schema, used for writes; reads go through raw-SQL DataLoaders.
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

// bigint columns come back from pg as strings; amounts stay below 2^53, so numbers are exact.
const bigintAsNumber = { to: (value: number) => value, from: (value: string) => Number(value) };

@Entity({ name: 'credit_grants' })
export class CreditGrantEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'organization_id' }) organizationId!: string;
  @Column('bigint', { transformer: bigintAsNumber }) amount!: number;
  @Column('text') reason!: string;
  @Column('timestamptz', { name: 'granted_at' }) grantedAt!: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'usage_events' })
export class UsageEventEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text', { name: 'environment_id' }) environmentId!: string;
  @Column('text') metric!: string;
  @Column('bigint', { transformer: bigintAsNumber }) quantity!: number;
  @Column('bigint', { transformer: bigintAsNumber }) amount!: number;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

export const entities = [CreditGrantEntity, UsageEventEntity];
