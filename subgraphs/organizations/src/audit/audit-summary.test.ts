// Audit summaries record what changed and never a secret.
import { changes, redact, REDACTED } from './audit-summary';

describe('redact', () => {
  it('replaces secret-looking values at any depth and keeps the rest', () => {
    expect(redact({ name: 'CI', token: 'pat_abc', nested: { clientSecret: 's', keep: 1 }, list: [{ passwordHash: 'x' }] })).toEqual({
      name: 'CI',
      token: REDACTED,
      nested: { clientSecret: REDACTED, keep: 1 },
      list: [{ passwordHash: REDACTED }],
    });
  });

  it('writes dates as ISO strings and drops undefined fields', () => {
    expect(redact({ at: new Date('2026-01-02T03:04:05Z'), gone: undefined })).toEqual({ at: '2026-01-02T03:04:05.000Z' });
  });
});

describe('changes', () => {
  it('keeps only the fields whose values differ', () => {
    expect(changes({ name: 'Acme', slug: 'acme', settings: { a: 1 } }, { name: 'Acme Labs', slug: 'acme', settings: { a: 1 } })).toEqual({
      before: { name: 'Acme' },
      after: { name: 'Acme Labs' },
    });
  });

  it('ignores fields an update left out and records newly set ones as changed from null', () => {
    expect(changes({ name: 'Acme' }, { name: undefined, description: 'x' })).toEqual({ before: { description: null }, after: { description: 'x' } });
  });

  it('redacts secrets even when they changed', () => {
    expect(changes({ secretHash: 'a' }, { secretHash: 'b' })).toEqual({ before: { secretHash: REDACTED }, after: { secretHash: REDACTED } });
  });
});
