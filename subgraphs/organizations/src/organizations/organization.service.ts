// Creating organizations. Knows nothing of GraphQL.
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { conflict, isUniqueViolation, newId, parseInput, text } from '@orgapi/shared';
import { MembershipEntity, OrganizationEntity } from '../entities';
import type { OrganizationRecord } from '../records';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
// Slugs that would collide with dashboard routes.
const RESERVED_SLUGS = new Set(['new', 'settings', 'account', 'api', 'admin', 'login', 'logout', 'signup', 'billing', 'organizations', 'projects']);

const name = text().trim().min(1, "Name can't be empty.").max(100, 'A name is at most 100 characters.');
const createInput = z.object({
  name,
  slug: z
    .string()
    .trim()
    .regex(SLUG_PATTERN, 'A slug is 1 to 48 lower-case letters, digits and inner hyphens, like `acme-labs`.')
    .refine((slug) => !RESERVED_SLUGS.has(slug), 'This slug is reserved. Choose another.')
    .nullish(),
});

/** A URL-safe slug from a display name: "Acme Labs, Inc." → "acme-labs-inc". */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug === '' || RESERVED_SLUGS.has(slug) ? `org-${slug}`.replace(/-$/, '') : slug;
}

export class OrganizationService {
  constructor(private readonly db: DataSource) {}

  /** Creates an organization with `ownerId` as its OWNER, in one transaction. */
  async create(ownerId: string, input: unknown): Promise<OrganizationRecord> {
    const { name, slug } = parseInput(createInput, input);
    const base = slug ?? slugify(name);
    // A chosen slug that is taken is the caller's to change; a derived one gets a numeric suffix instead.
    for (let attempt = 1; ; attempt++) {
      const candidate = slug || attempt === 1 ? base : `${base}-${attempt}`;
      try {
        return await this.insert(ownerId, name, candidate);
      } catch (error) {
        if (!isUniqueViolation(error, 'organizations_slug_key')) throw error;
        if (slug || attempt >= 20) throw conflict(`The slug "${candidate}" is already taken. Choose another.`, 'slug');
      }
    }
  }

  /** Remembers the organization the user switched to (membership already checked by the caller). */
  async setActive(userId: string, organizationId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO user_settings (user_id, active_organization_id) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET active_organization_id = EXCLUDED.active_organization_id, updated_at = now()`,
      [userId, organizationId],
    );
  }

  private insert(ownerId: string, name: string, slug: string): Promise<OrganizationRecord> {
    return this.db.transaction(async (tx) => {
      const id = newId('org');
      // The insert returns the generated columns (created_at), so nothing needs reading back.
      const { generatedMaps } = await tx.insert(OrganizationEntity, { id, slug, name });
      await tx.insert(MembershipEntity, { id: newId('mem'), organizationId: id, userId: ownerId, role: 'OWNER' });
      return { id, slug, name, createdAt: generatedMaps[0].createdAt as Date };
    });
  }
}
