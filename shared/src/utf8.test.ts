// utf8() is Buffer.from(text) by another road: the same bytes for any text, ASCII or not, lone surrogates included.
import fc from 'fast-check';
import { utf8 } from './utf8';

describe('utf8', () => {
  it('gives the bytes Buffer.from gives, for any text', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary-ascii' }));
    fc.assert(
      fc.property(text, (value) => {
        expect(utf8(value).equals(Buffer.from(value, 'utf8'))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['ASCII JSON', '{"data":{"name":"Acme"}}'],
    ['latin1 letters, two bytes each', '{"name":"Zoë Ångström"}'],
    ['a character outside the BMP', '{"name":"🚀"}'],
    ['a lone surrogate', '{"name":"\uD800"}'],
    ['NUL', '\u0000'],
  ])('encodes %s as UTF-8', (_case, text) => {
    expect(utf8(text)).toEqual(Buffer.from(text, 'utf8'));
    expect(utf8(text).toString('utf8')).toBe(Buffer.from(text, 'utf8').toString('utf8'));
  });
});
