// Organization slugs: the rule a chosen slug follows, and the slug derived from a name when none is chosen.
import { z } from 'zod';

const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
// Slugs that would collide with dashboard routes.
const RESERVED_SLUGS = new Set(['new', 'settings', 'account', 'api', 'admin', 'login', 'logout', 'signup', 'billing', 'organizations', 'projects']);

/** A slug someone chose: 1 to 48 lower-case letters, digits and inner hyphens, and not a reserved word. */
export const organizationSlug = () =>
  z
    .string()
    .trim()
    .regex(SLUG_PATTERN, 'A slug is 1 to 48 lower-case letters, digits and inner hyphens, like `acme-labs`.')
    .refine((slug) => !RESERVED_SLUGS.has(slug), 'This slug is reserved. Choose another.');

/**
 * A URL-safe slug from a display name: "Acme Labs, Inc." → "acme-labs-inc". At most 40 characters, so a numeric
 * suffix added on a collision still fits the 48 of a chosen slug.
 */
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
