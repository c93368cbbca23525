// Creating organizations. Knows nothing of GraphQL.
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { conflict, displayName, isUniqueViolation, newId, parseInput } from '@orgapi/shared';
import type { MembershipService } from '../memberships/membership.service';
import { ORGANIZATION_COLUMNS, toOrganization } from './organization.loader';
import type { Organization } from './organization.type';
import { organizationSlug, slugify } from './slug';
import type { CallerActor } from '../audit/actor';
import { recordAudit } from '../audit/audit.service';

const createInput = z.object({ name: displayName(), slug: organizationSlug().nullish() });

export class OrganizationService {
  constructor(
    private readonly db: DataSource,
    private readonly memberships: MembershipService,
  ) {}

  /** Creates an organization with the actor as its OWNER, in one transaction; QUOTA_EXCEEDED when they belong to as many as a user may. */
  async create(actor: CallerActor, input: unknown): Promise<Organization> {
    const { name, slug } = parseInput(createInput, input);
    const base = slug ?? slugify(name);
    // A chosen slug that is taken is the caller's to change; a derived one gets a numeric suffix instead.
    for (let attempt = 1; ; attempt++) {
      const candidate = slug || attempt === 1 ? base : `${base}-${attempt}`;
      try {
        return await this.insert(actor, name, candidate);
      } catch (error) {
        if (!isUniqueViolation(error, 'organizations_slug_key')) throw error;
        if (slug || attempt >= 20) throw conflict(`The slug "${candidate}" is already taken. Choose another.`, 'slug');
      }
    }
  }

  private insert(actor: CallerActor, name: string, slug: string): Promise<Organization> {
    return this.db.transaction(async (tx) => {
      // RETURNING hands back the generated columns (created_at), so nothing needs reading back.
      const [row] = await tx.query(`INSERT INTO organizations (id, slug, name) VALUES ($1, $2, $3) RETURNING ${ORGANIZATION_COLUMNS}`, [newId('org'), slug, name]);
      await this.memberships.add(tx, row.id, actor.userId, 'OWNER');
      const organization = toOrganization(row);
      await recordAudit(tx, actor, { organizationId: organization.id, action: 'organization.created', target: { type: 'organization', id: organization.id }, after: { name, slug } });
      return organization;
    });
  }
}
