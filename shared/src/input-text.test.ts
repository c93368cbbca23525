// Text a request may carry: anything Unicode except NUL, found wherever a client can put it, keys and literals too.
import { parse } from 'graphql';
import { findUnsafeText, readDocumentText, textProblem } from './input-text';

describe('textProblem', () => {
  it.each(['', 'Ada Lovelace', 'Crème brûlée', 'שלום', '日本語', '👩‍💻 emoji with a surrogate pair', '\u0001\u001f bell and friends'])('accepts %p', (value) => {
    expect(textProblem(value)).toBeUndefined();
  });

  it.each([
    ['a NUL at the end', 'acme\u0000', 'a NUL character (U+0000)'],
    ['a NUL alone', '\u0000', 'a NUL character (U+0000)'],
    ['a high surrogate without its pair', 'a\uD800b', 'an unpaired surrogate (U+D800)'],
    ['a low surrogate without its pair', '\uDC00', 'an unpaired surrogate (U+DC00)'],
    ['a pair in the wrong order', '\uDE00\uD83D', 'an unpaired surrogate (U+DE00)'],
    ['a high surrogate at the very end', 'ok \uDBFF', 'an unpaired surrogate (U+DBFF)'],
  ])('refuses %s', (_case, value, problem) => {
    expect(textProblem(value)).toBe(problem);
  });
});

describe('findUnsafeText', () => {
  it('finds nothing in well-formed values of every JSON kind', () => {
    expect(findUnsafeText({ a: [1, true, null, 'x', { b: 'y' }], c: 2.5 })).toBeUndefined();
    expect(findUnsafeText(null)).toBeUndefined();
  });

  it.each([
    ['a nested string', { input: { tags: ['ok', 'bad\u0000'] } }, ['input', 'tags', 1], 'a NUL character (U+0000)'],
    ['an object key, without naming it (that would echo it)', { input: { ['k\u0000']: 1 } }, ['input'], 'a key with a NUL character (U+0000)'],
    ['a top-level key', { ['\uD800']: 1 }, [], 'a key with an unpaired surrogate (U+D800)'],
    ['a string as the whole value', 'x\uDC00', [], 'an unpaired surrogate (U+DC00)'],
  ])('finds %s, with its path', (_case, value, path, problem) => {
    expect(findUnsafeText(value)).toEqual({ path, problem });
  });

  it('reports the first problem in document order', () => {
    expect(findUnsafeText({ a: ['\u0000', '\uD800'], b: '\u0000' })?.path).toEqual(['a', 0]);
  });

  it('starts paths where the caller says the value sits', () => {
    expect(findUnsafeText({ note: '\u0000' }, ['extensions'])?.path).toEqual(['extensions', 'note']);
  });

  it('walks a value nested far deeper than the call stack would allow', () => {
    const depth = 200_000;
    const deep = JSON.parse(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`) as unknown;
    expect(findUnsafeText(deep)?.path).toHaveLength(depth);
  });
});

describe('readDocumentText', () => {
  it('finds a NUL spelled as an escape in a string literal, with the argument path', () => {
    const text = readDocumentText(parse('{ organization(slug: "acme\\u0000") { id } }'));
    expect(text.unsafeLiteral).toEqual({ path: ['slug'], problem: 'a NUL character (U+0000)' });
  });

  it('finds one inside an input object or list literal, in a fragment too', () => {
    const text = readDocumentText(parse('mutation { ...F } fragment F on Mutation { createProject(input: { tags: ["a", "\\u{0}"] }) { id } }'));
    expect(text.unsafeLiteral?.path).toEqual(['input', 'tags', 1]);
  });

  it("finds one in a variable's default value", () => {
    const text = readDocumentText(parse('query($slug: String = "\\u0000") { organization(slug: $slug) { id } }'));
    expect(text.unsafeLiteral?.path).toEqual(['$slug']);
  });

  it('maps each variable to the argument it fills, inside input objects too', () => {
    const text = readDocumentText(
      parse('query($id: ID!, $n: String, $r: [_Any!]!) { organization(id: $id) { id } createProject(input: { name: $n }) { id } _entities(representations: $r) { __typename } }'),
    );
    expect(text.unsafeLiteral).toBeUndefined();
    expect(Object.fromEntries(text.variableArguments)).toEqual({ id: ['id'], n: ['input', 'name'], r: ['representations'] });
  });

  it('accepts literals that are fine, block strings with a backslash included', () => {
    expect(readDocumentText(parse('{ a(x: "Crème \\u00e9", y: """\\u0000 is not an escape here""") }')).unsafeLiteral).toBeUndefined();
  });
});

describe('findUnsafeText on deep values', () => {
  it('walks 100,000 levels of nesting in one visit per value, and still names the path of what it refuses', () => {
    const depth = 100_000;
    const parsed = JSON.parse('['.repeat(depth) + '"\\u0000"' + ']'.repeat(depth)) as unknown;
    const found = findUnsafeText(parsed);
    // Quadratic path copying made this take minutes (past jest's timeout); every level is index 0.
    expect(found?.path).toHaveLength(depth);
    expect(found?.problem).toBe('a NUL character (U+0000)');
  });
});
