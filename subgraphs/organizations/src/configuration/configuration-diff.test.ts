// Diffs between configurations: RFC 6902 operations with what they replace.
import { applyPatch } from 'fast-json-patch';
import { configurationDiff } from './configuration-diff';

describe('configurationDiff', () => {
  it('is empty for equal configurations', () => {
    expect(configurationDiff({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('says what was added, removed and replaced, with the previous values', () => {
    const before = { retries: 3, features: { beta: false, legacy: true } };
    const after = { retries: 5, features: { beta: false, search: 'fast' } };
    const diff = configurationDiff(before, after);
    expect(diff).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/retries', value: 5, previousValue: 3 },
        { op: 'remove', path: '/features/legacy', previousValue: true },
        { op: 'add', path: '/features/search', value: 'fast' },
      ]),
    );
    expect(diff).toHaveLength(3);
  });

  it('is a patch that turns the old configuration into the new one', () => {
    const before = { list: [1, 2, 3], 'a/b': { '~': 1 } };
    const after = { list: [1, 3], 'a/b': { '~': 2 }, added: null };
    const patch = configurationDiff(before, after).map(({ previousValue: _previous, ...operation }) => operation);
    expect(applyPatch(structuredClone(before), patch as never).newDocument).toEqual(after);
  });
});
