// Slugs without a database: what a name turns into, and which chosen slugs are refused.
import { organizationSlug, slugify } from './slug';

const refusal = (slug: string) => {
  const result = organizationSlug().safeParse(slug);
  return result.success ? null : result.error.issues[0].message;
};

describe('a slug derived from a name', () => {
  it.each([
    ['Acme Labs, Inc.', 'acme-labs-inc'],
    ['  Globex  ', 'globex'],
    ['Crème Brûlée Café', 'creme-brulee-cafe'],
    ['R&D -- 2026', 'r-d-2026'],
  ])('turns %p into %p', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('is "org" when the name has no letters or digits to keep', () => {
    expect(slugify('!!!')).toBe('org');
    expect(slugify('日本')).toBe('org');
  });

  it('is prefixed rather than taking a reserved word', () => {
    expect(slugify('Settings')).toBe('org-settings');
    expect(slugify('API')).toBe('org-api');
  });

  it('keeps 40 characters at most, without a trailing hyphen, leaving room for a "-20" suffix', () => {
    expect(slugify('a'.repeat(100))).toBe('a'.repeat(40));
    expect(slugify(`${'a'.repeat(39)} b`)).toBe('a'.repeat(39));
  });

  it('always passes the rule for a chosen slug, suffix included', () => {
    for (const name of ['Acme Labs, Inc.', '!!!', 'Settings', 'x'.repeat(100), '-- a --', 'Ünïcödé']) {
      expect(refusal(slugify(name))).toBeNull();
      expect(refusal(`${slugify(name)}-20`)).toBeNull();
    }
  });
});

describe('a chosen slug', () => {
  it('is trimmed', () => {
    expect(organizationSlug().parse('  acme-labs ')).toBe('acme-labs');
  });

  it.each(['a', 'acme', 'acme-labs', '9lives', 'a'.repeat(48)])('accepts %p', (slug) => {
    expect(refusal(slug)).toBeNull();
  });

  it.each(['', 'Acme', 'acme labs', '-acme', 'acme-', 'acme_labs', 'a'.repeat(49)])('refuses %p as malformed', (slug) => {
    expect(refusal(slug)).toBe('A slug is 1 to 48 lower-case letters, digits and inner hyphens, like `acme-labs`.');
  });

  it.each(['new', 'settings', 'admin', 'billing'])('refuses the reserved %p', (slug) => {
    expect(refusal(slug)).toBe('This slug is reserved. Choose another.');
  });
});
