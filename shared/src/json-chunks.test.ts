// A result's JSON in pieces: joined, the very text JSON.stringify writes; each piece about the length asked for.
import fc from 'fast-check';
import { jsonChunks } from './json-chunks';

/** Values as results hold them, and what JSON.stringify treats specially: undefined, functions, Dates, toJSON, NaN. */
const special = fc.constantFrom<unknown>(undefined, () => 1, Symbol('s'), new Date(0), { toJSON: (key: string) => `key:${key}` }, NaN, -0, new Number(3), new String('boxed'));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), special, tie('list'), tie('object')),
  list: fc.array(tie('node'), { maxLength: 6 }),
  object: fc.dictionary(fc.string({ maxLength: 4 }), tie('node'), { maxKeys: 6 }),
})).node;

describe('jsonChunks', () => {
  it('writes, joined, exactly what JSON.stringify writes, whatever the piece length', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 64 }), (v, length) => {
        expect(jsonChunks(v, length).join('')).toBe(JSON.stringify(v) ?? '');
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps every piece near the length asked for: a list of many small objects never becomes one string', () => {
    const projects = Array.from({ length: 400 }, (_, i) => ({ id: `prj_${i}`, claim: 'c'.repeat(500) }));
    const result = { data: { organization: { projects: { nodes: projects } } } };
    const pieces = jsonChunks(result, 32_768);
    expect(pieces.join('')).toBe(JSON.stringify(result));
    expect(pieces.length).toBeGreaterThan(6);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(32_768 + 600);
  });

  it('writes a value JSON.stringify leaves out as nothing, and refuses what it refuses', () => {
    expect(jsonChunks(undefined)).toEqual([]);
    expect(() => jsonChunks({ big: 1n })).toThrow(TypeError);
  });
});
