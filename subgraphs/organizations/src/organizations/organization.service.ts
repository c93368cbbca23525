// Creating, changing and deleting organizations. Knows nothing of GraphQL.
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { badInput, conflict, displayName, isUniqueViolation, newId, notFound, parseInput, text } from '@orgapi/shared';
import type { MembershipService } from '../memberships/membership.service';
import { ORGANIZATION_COLUMNS, toOrganization } from './organization.loader';
import type { Organization } from './organization.type';
import { mergeSettings, settingsChange } from './settings';
import { organizationSlug, slugify } from './slug';
import { claimSlug, releaseSlugs, SlugTaken } from './slug-history';
import type { CallerActor } from '../audit/actor';
import { changes } from '../audit/audit-summary';
import { recordAudit } from '../audit/audit.service';

const createInput = z.object({ name: displayName(), slug: organizationSlug().nullish() });
const updateInput = z.object({ name: displayName().nullish(), slug: organizationSlug().nullish(), settings: settingsChange.nullish() });
const deleteInput = z.object({ confirmSlug: text() });

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
        if (!(error instanceof SlugTaken) && !isUniqueViolation(error, 'organizations_slug_key')) throw error;
        if (slug || attempt >= 20) throw conflict(`The slug "${candidate}" is already taken. Choose another.`, 'slug');
      }
    }
  }

  private insert(actor: CallerActor, name: string, slug: string): Promise<Organization> {
    return this.db.transaction(async (tx) => {
      // RETURNING hands back the generated columns (created_at), so nothing needs reading back.
      const [row] = await tx.query(`INSERT INTO organizations (id, slug, name) VALUES ($1, $2, $3) RETURNING ${ORGANIZATION_COLUMNS}`, [newId('org'), slug, name]);
      await claimSlug(tx, slug, row.id);
      await this.memberships.add(tx, row.id, actor.userId, 'OWNER');
      const organization = toOrganization(row);
      await recordAudit(tx, actor, { organizationId: organization.id, action: 'organization.created', target: { type: 'organization', id: organization.id }, after: { name, slug } });
      return organization;
    });
  }

  /**
   * Changes the name, slug or settings (the caller checked organization:update), in one transaction with its audit
   * event. A new slug is claimed before the row changes and the old one is released into its reservation.
   */
  async update(actor: CallerActor, organizationId: string, input: unknown): Promise<Organization> {
    const change = parseInput(updateInput, input);
    return this.db.transaction(async (tx) => {
      const current = await lockLive(tx, organizationId);
      const next = { name: change.name ?? current.name, slug: change.slug ?? current.slug, settings: mergeSettings(current.settings, change.settings) };
      const top = changes({ name: current.name, slug: current.slug }, { name: next.name, slug: next.slug });
      const settings = changes({ ...current.settings }, { ...next.settings });
      if (Object.keys(top.after).length === 0 && Object.keys(settings.after).length === 0) return current;
      if (next.slug !== current.slug) {
        await claimSlug(tx, next.slug, organizationId);
        await releaseSlugs(tx, organizationId, current.slug);
      }
      // The history decided who may have the slug; the live organizations' unique index only backs it up.
      const [[row]] = await tx.query(
        `UPDATE organizations SET name = $2, slug = $3, default_role = $4, invitation_expiry_days = $5, allowed_email_domains = $6, enrollment_mode = $7, updated_at = now()
          WHERE id = $1 RETURNING ${ORGANIZATION_COLUMNS}`,
        [organizationId, next.name, next.slug, next.settings.defaultRole, next.settings.invitationExpiryDays, next.settings.allowedEmailDomains, next.settings.enrollmentMode],
      );
      const withSettings = (side: Record<string, unknown>, of: Record<string, unknown>) => (Object.keys(of).length > 0 ? { ...side, settings: of } : side);
      await recordAudit(tx, actor, {
        organizationId,
        action: 'organization.updated',
        target: { type: 'organization', id: organizationId },
        before: withSettings(top.before, settings.before),
        after: withSettings(top.after, settings.after),
      });
      return toOrganization(row);
    });
  }

  /**
   * Soft-deletes the organization (the caller checked organization:delete) once `confirmSlug` repeats its current slug.
   * Its rows stay, billing's history with them; every read treats it as gone, and its slugs enter their reservation.
   */
  async delete(actor: CallerActor, organizationId: string, input: unknown): Promise<{ organizationId: string; deletedAt: Date }> {
    const { confirmSlug } = parseInput(deleteInput, input);
    return this.db.transaction(async (tx) => {
      const current = await lockLive(tx, organizationId);
      if (confirmSlug !== current.slug) throw badInput(`Type the organization's slug, "${current.slug}", to confirm its deletion.`, 'confirmSlug');
      const [[{ deleted_at: deletedAt }]] = await tx.query(`UPDATE organizations SET deleted_at = now(), updated_at = now() WHERE id = $1 RETURNING deleted_at`, [organizationId]);
      await releaseSlugs(tx, organizationId);
      await recordAudit(tx, actor, {
        organizationId,
        action: 'organization.deleted',
        target: { type: 'organization', id: organizationId },
        before: { name: current.name, slug: current.slug },
      });
      return { organizationId, deletedAt };
    });
  }
}

/** The live organization's row, locked until the transaction ends, so concurrent changes apply one after the other. */
async function lockLive(tx: EntityManager, organizationId: string): Promise<Organization> {
  const [row] = await tx.query(`SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, [organizationId]);
  if (!row) throw notFound('Organization');
  return toOrganization(row);
}
