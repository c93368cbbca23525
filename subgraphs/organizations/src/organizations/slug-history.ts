// Which organization holds a slug: one row per slug held or recently given up, so renamed and deleted slugs stay reserved.
import { AppError, ErrorCode, type Queryable } from '@orgapi/shared';

/** How long a slug given up by renaming or deletion still points at its organization and stays out of others' reach. */
export const SLUG_RESERVATION_DAYS = 30;

/** A slug is held while in use, or for SLUG_RESERVATION_DAYS after it was given up (heldSlug, in JS, for loaders). */
export const isHeld = (releasedAt: Date | null, now = Date.now()) => releasedAt === null || releasedAt.getTime() > now - SLUG_RESERVATION_DAYS * 86_400_000;

/** SQL: the slug row `alias` is held, live or still reserved (released less than the reservation ago). */
export const heldSlug = (alias: string) => `(${alias}.released_at IS NULL OR ${alias}.released_at > now() - interval '${SLUG_RESERVATION_DAYS} days')`;

/** CONFLICT on `slug`: the slug is another organization's, live or reserved. */
export class SlugTaken extends AppError {
  constructor(slug: string) {
    super(ErrorCode.CONFLICT, `The slug "${slug}" is already taken. Choose another.`, { field: 'slug' });
  }
}

/**
 * Makes `slug` the organization's, in the caller's transaction; SlugTaken when another organization holds or reserves
 * it. One upsert decides: a free slug is inserted, one whose reservation ran out or that was this organization's own
 * is taken over, and of two transactions claiming one slug the second waits on the first's row and then finds it held.
 */
export async function claimSlug(tx: Queryable, slug: string, organizationId: string): Promise<void> {
  const claimed = await tx.query(
    `INSERT INTO organization_slugs AS s (slug, organization_id) VALUES ($1, $2)
     ON CONFLICT (slug) DO UPDATE SET organization_id = EXCLUDED.organization_id, claimed_at = now(), released_at = NULL
       WHERE s.organization_id = EXCLUDED.organization_id OR NOT ${heldSlug('s')}
     RETURNING slug`,
    [slug, organizationId],
  );
  if (claimed.length === 0) throw new SlugTaken(slug);
}

/** Starts the reservation of a slug the organization gives up (`slug`), or of every slug it holds (deletion). */
export async function releaseSlugs(tx: Queryable, organizationId: string, slug?: string): Promise<void> {
  await tx.query(`UPDATE organization_slugs SET released_at = now() WHERE organization_id = $1 AND released_at IS NULL AND ($2::text IS NULL OR slug = $2)`, [
    organizationId,
    slug ?? null,
  ]);
}
