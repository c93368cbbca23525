// The rules every service's input shares: text PostgreSQL can store, and names that look like what they say.
import { z } from 'zod';
import { displayName, text } from './validation';

const refusal = (schema: z.ZodType, value: string) => {
  const result = schema.safeParse(value);
  return result.success ? null : result.error.issues[0].message;
};

describe('text', () => {
  it.each([
    ['a NUL character', 'a\u0000b', "Text can't contain a NUL character (U+0000)."],
    ['an unpaired surrogate', 'a\uD800', "Text can't contain an unpaired surrogate (U+D800)."],
  ])('refuses %s', (_case, value, message) => {
    expect(refusal(text(), value)).toBe(message);
  });

  it('accepts any other Unicode text', () => {
    expect(text().parse('Grüße 👋\tand a tab')).toBe('Grüße 👋\tand a tab');
  });
});

describe('a display name', () => {
  it.each([
    ['a right-to-left override', 'Invoice \u202Efdp.exe', 'U+202E', 9],
    ['a left-to-right embedding', '\u202AAcme', 'U+202A', 1],
    ['a first-strong isolate', 'Acme \u2068Labs', 'U+2068', 6],
    ['a pop directional isolate', 'Acme\u2069', 'U+2069', 5],
    ['a zero-width space', 'Ad\u200Ba', 'U+200B', 3],
    ['a zero-width joiner', 'Ada\u200D', 'U+200D', 4],
    ['a byte-order mark', 'Ada\uFEFFLovelace', 'U+FEFF', 4],
    ['a newline', 'Ada\nLovelace', 'U+000A', 4],
    ['a tab', 'Ada\tLovelace', 'U+0009', 4],
    ['an escape character', 'Ada\u001B[31m', 'U+001B', 4],
    ['a C1 control', 'Ada\u0085', 'U+0085', 4],
    // Joiners that join nothing; the position counts characters, not UTF-16 units.
    ['a joiner between Latin letters', 'Ad\u200Da', 'U+200D', 3],
    ['a non-joiner between Latin letters', 'Ad\u200Ca', 'U+200C', 3],
    ['a joiner after an emoji, before a letter', 'Ana 👩\u200Dx', 'U+200D', 6],
    ['a non-joiner between emoji', 'Ana 👩\u200C💻', 'U+200C', 6],
    ['a joiner at the start', '\u200Dمی', 'U+200D', 1],
  ])('refuses %s, saying which character and where', (_case, name, codePoint, position) => {
    expect(refusal(displayName(), name)).toBe(
      `Name can't contain control, direction-changing or zero-width characters (it has ${codePoint} at character ${position}).`,
    );
  });

  it('refuses an unpaired surrogate as text that is not Unicode', () => {
    expect(refusal(displayName(), 'Ada \uDC00')).toBe("Text can't contain an unpaired surrogate (U+DC00).");
  });

  it('normalises to NFC, so a name typed with combining accents is the same name', () => {
    const decomposed = 'Cre\u0300me Bru\u0302le\u0301e';
    expect(displayName().parse(decomposed)).toBe('Crème Brûlée');
    expect(displayName().parse(decomposed)).toHaveLength('Crème Brûlée'.length);
  });

  it.each([
    ['an emoji sequence', 'Ana 👩\u200D💻'],
    ['an emoji sequence with a skin tone', 'Team 👩🏽\u200D🚀'],
    ['a Persian word with its non-joiner', 'می\u200Cخواهم'],
    ['a Devanagari conjunct with a joiner after the virama', 'क्\u200Dष'],
  ])('accepts the zero-width joiners that write a name: %s', (_case, name) => {
    expect(displayName().parse(name)).toBe(name);
  });

  it.each(['Ada Lovelace', 'شركة أكمي', 'Ελληνικά', '山田 太郎', 'Café ☕'])('accepts %p', (name) => {
    expect(displayName().parse(name)).toBe(name);
  });

  it('still trims and bounds the length', () => {
    expect(displayName().parse('  Ada  ')).toBe('Ada');
    expect(refusal(displayName(), ' \u00A0 ')).toBe("Name can't be empty.");
  });
});
