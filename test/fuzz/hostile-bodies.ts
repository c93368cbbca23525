// Request bodies a hostile client sends: valid operations broken in every way, huge and deep inputs, NULs, lone
// surrogates, bad UTF-8, bad JSON and batches. Each is the text or the bytes of a POST body.
import fc from 'fast-check';
import type { GeneratedOperation } from './operations';

export type Body = string | Uint8Array;

/** What hostile bodies are made from: the target's own valid operations, and an ID that reaches real rows there. */
export interface BodySources {
  operations: fc.Arbitrary<GeneratedOperation>;
  /** IDs of the fixture's projects, for nesting real fields deeply. */
  projectIds: string[];
}

const envelope = (op: GeneratedOperation): Record<string, unknown> => ({ query: op.query, variables: op.variables, operationName: op.operationName });
const json = (value: unknown) => JSON.stringify(value);
const utf8 = (text: string) => new TextEncoder().encode(text);

// ── Broken query text ────────────────────────────────────────────────────────────────────────────

/** Tokens and characters inserted into query text: GraphQL punctuation, keywords, NUL, lone surrogates, overrides. */
const INSERTIONS = ['{', '}', '(', ')', '[', ']', '$', '...', '@', '"', '"""', '#', ':', '!', '=', '|', '&', ' on ', ' fragment ', ' query ', ' mutation ', ' subscription ', ' nope ', ' __schema ', '\\', '\u0000', '\ud800', '\udfff', '\u202e', '\u200b', '\ufeff', '\uffff', '\u{10ffff}', '\r\n', '1e999', '-', '0x1F'];

type TextCorruption = (text: string, at: number) => string;
const braceIndexes = (text: string, brace: string) => [...text].flatMap((char, i) => (char === brace ? [i] : []));
const atBrace = (text: string, at: number, brace: string, change: (i: number) => string): string => {
  const indexes = braceIndexes(text, brace);
  return indexes.length === 0 ? text : change(indexes[at % indexes.length]);
};
const TEXT_CORRUPTIONS: Record<string, TextCorruption> = {
  'drop a {': (t, at) => atBrace(t, at, '{', (i) => t.slice(0, i) + t.slice(i + 1)),
  'drop a }': (t, at) => atBrace(t, at, '}', (i) => t.slice(0, i) + t.slice(i + 1)),
  'double a {': (t, at) => atBrace(t, at, '{', (i) => t.slice(0, i) + '{' + t.slice(i)),
  'double a }': (t, at) => atBrace(t, at, '}', (i) => t.slice(0, i) + '}' + t.slice(i)),
  'drop a character': (t, at) => t.slice(0, at % (t.length + 1)) + t.slice((at % (t.length + 1)) + 1),
  'double a character': (t, at) => t.slice(0, at % (t.length + 1)) + t.slice(at % (t.length + 1)),
  'cut short': (t, at) => t.slice(0, at % (t.length + 1)),
  'an unknown field': (t) => t.replace('{', '{ unknownField '),
  'introspection': (t) => t.replace('{', '{ __schema { types { name fields { name args { name } } } } __type(name: "Organization") { name } '),
  'as a subscription': (t) => t.replace(/^(query|mutation)\b|^(?=\{)/, 'subscription '),
};
const corruptedText = (sources: BodySources) =>
  fc
    .tuple(sources.operations, fc.nat(), fc.oneof(fc.constantFrom(...Object.keys(TEXT_CORRUPTIONS)), fc.constantFrom(...INSERTIONS)))
    .map(([op, at, how]) => {
      const query = how in TEXT_CORRUPTIONS ? TEXT_CORRUPTIONS[how](op.query, at) : op.query.slice(0, at % (op.query.length + 1)) + how + op.query.slice(at % (op.query.length + 1));
      return json({ ...envelope(op), query });
    });

// ── Wrong variables and envelopes ────────────────────────────────────────────────────────────────

/** A raw JSON token put in place of a value after stringifying: JSON.parse reads 1e400 as Infinity. */
const RAW = '\u0001raw:';
const withRaw = (text: string) => text.replace(new RegExp(`"${RAW}([^"]*)"`, 'g'), '$1');

const WRONG_VALUES = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>('', [], {}, [[]], true, 0, -0.5, 2 ** 53 + 1, 1e308, 'x'.repeat(10_000), `${RAW}1e400`, `${RAW}-1e400`, `${RAW}${'9'.repeat(400)}`, JSON.parse('{"__proto__": 1}') as unknown),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const wrongVariables = (sources: BodySources) =>
  fc.tuple(sources.operations, fc.nat(), WRONG_VALUES, fc.constantFrom('replace', 'remove', 'add')).map(([op, at, value, how]) => {
    const names = Object.keys(op.variables);
    const variables = { ...op.variables };
    const name = names.length > 0 ? names[at % names.length] : 'extra';
    if (how === 'remove') delete variables[name];
    else variables[how === 'add' ? `extra${at % 3}` : name] = value;
    return withRaw(json({ ...envelope(op), variables }));
  });

/** Odd keys: NUL, lone surrogates and direction overrides in variable names, envelope keys and operation names. */
const ODD_KEYS = ['\u0000', '\ud800', '\udfff', 'a\u0000b', '\u202e', '', ' ', '__proto__', 'constructor', '$', 'query\u0000'];

const ENVELOPE_CHANGES: Record<string, (e: Record<string, unknown>) => unknown> = {
  'query is a number': (e) => ({ ...e, query: 42 }),
  'query is null': (e) => ({ ...e, query: null }),
  'query is a list': (e) => ({ ...e, query: [e.query] }),
  'query is an object': (e) => ({ ...e, query: { query: e.query } }),
  'query is empty': (e) => ({ ...e, query: '' }),
  'query is a comment': (e) => ({ ...e, query: '# nothing here' }),
  'no query': ({ query: _query, ...e }) => e,
  'variables as a string': (e) => ({ ...e, variables: json(e.variables) }),
  'variables as a list': (e) => ({ ...e, variables: [e.variables] }),
  'variables as a number': (e) => ({ ...e, variables: 7 }),
  'an unknown operationName': (e) => ({ ...e, operationName: 'NoSuchOperation' }),
  'an empty operationName': (e) => ({ ...e, operationName: '' }),
  'operationName a number': (e) => ({ ...e, operationName: 1 }),
  'operationName with NUL': (e) => ({ ...e, operationName: 'Op1\u0000' }),
  'no operationName': ({ operationName: _name, ...e }) => e,
  'several operations, no operationName': (e) => ({ query: `query A { __typename } query B { __typename } ${String(e.query)}`, variables: e.variables }),
  'a persisted query that does not match': (e) => ({ ...e, extensions: { persistedQuery: { version: 1, sha256Hash: 'ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38' } } }),
  'a persisted query with no text': ({ query: _query, ...e }) => ({ ...e, extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }),
  'a persisted query of another version': (e) => ({ ...e, extensions: { persistedQuery: { version: 2, sha256Hash: 'x' } } }),
  'extensions as a string': (e) => ({ ...e, extensions: 'x' }),
  'extensions as a list': (e) => ({ ...e, extensions: [1] }),
  'odd envelope keys': (e) => ({ ...e, ...Object.fromEntries(ODD_KEYS.map((key) => [key, 1])) }),
  'odd variable names': (e) => ({ ...e, variables: { ...(e.variables as object), ...Object.fromEntries(ODD_KEYS.map((key) => [key, key])) } }),
};
const changedEnvelope = (sources: BodySources) =>
  fc.tuple(sources.operations, fc.constantFrom(...Object.keys(ENVELOPE_CHANGES))).map(([op, how]) => json(ENVELOPE_CHANGES[how](envelope(op))));

// ── Huge and deep ────────────────────────────────────────────────────────────────────────────────

/** How many times a thing repeats: mostly a few, sometimes far past every limit (which makes a request slow). */
const sized = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(10, 100) }, { weight: 2, arbitrary: fc.constant(1000) }, { weight: 1, arbitrary: fc.constant(5000) });

const repeatJoin = (n: number, item: (i: number) => string, separator = ' ') => Array.from({ length: n }, (_, i) => item(i)).join(separator);

const hugeAndDeep = (sources: BodySources): fc.Arbitrary<Body> => {
  const projectId = fc.constantFrom(...sources.projectIds);
  return fc.oneof(
    // A huge string in a variable, up to past the 1 MiB body limit.
    fc.tuple(sources.operations, fc.constantFrom(65_536, 300_000, 1_100_000)).map(([op, n]) => {
      const names = Object.keys(op.variables);
      const variables = { ...op.variables, [names[0] ?? 'huge']: 'x'.repeat(n) };
      return json({ ...envelope(op), variables });
    }),
    // A huge list in a variable, and as many entity representations as fit in the body.
    sized.map((n) => json({ query: 'query($l: [String!]) { __typename }', variables: { l: Array.from({ length: n * 5 }, () => 'x') } })),
    fc.tuple(sized, projectId).map(([n, id]) =>
      json({
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Project { id } } }',
        variables: { r: Array.from({ length: n }, (_, i) => ({ __typename: i % 2 ? 'Project' : 'Organization', id, viewerPermissions: ['billing:read'] })) },
      }),
    ),
    // Deep nesting: of braces alone, of real fields (each level a page of 100), of JSON in a variable.
    fc.constantFrom(10, 100, 1000, 5000).map((n) => json({ query: `{ ${'a { '.repeat(n)}__typename${' }'.repeat(n)} }` })),
    fc.tuple(fc.integer({ min: 1, max: 40 }), projectId).map(([n, id]) =>
      json({
        query: `query($id: ID!) { project(id: $id) { ${'organization { projects(first: 100) { nodes { '.repeat(n)}id${' } } }'.repeat(n)} } }`,
        variables: { id },
      }),
    ),
    fc.constantFrom(100, 10_000, 100_000).map((n) => `{"query":"{ __typename }","variables":{"deep":${'['.repeat(n)}${']'.repeat(n)}}}`),
    fc.constantFrom(100, 10_000).map((n) => json({ query: `{ __typename(a: ${'['.repeat(n)}${']'.repeat(n)}) }` })),
    // Many aliases, variables, directives, fragments.
    sized.map((n) => json({ query: `{ ${repeatJoin(n, (i) => `a${i}: __typename`)} }` })),
    fc.tuple(fc.constantFrom(31, 100, 1000), projectId).map(([n, id]) => json({ query: `query($id: ID!) { ${repeatJoin(n, (i) => `p${i}: project(id: $id) { id name }`)} }`, variables: { id } })),
    sized.map((n) => json({ query: `query(${repeatJoin(n, (i) => `$v${i}: Int`)}) { __typename }`, variables: {} })),
    sized.map((n) => json({ query: `{ __typename ${'@include(if: true) '.repeat(n)}}` })),
    sized.map((n) => json({ query: `{ ...F0 } ${repeatJoin(n, (i) => `fragment F${i} on Query { __typename ${i + 1 < n ? `...F${i + 1}` : ''} }`)}` })),
    fc.constantFrom(100, 10_000).map((n) => json({ query: `{ ...F } fragment F on Query { ${'...F '.repeat(n)} }` })),
  );
};

// ── Bad JSON and bad bytes ───────────────────────────────────────────────────────────────────────

const BAD_UTF8 = [[0xff], [0xfe, 0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80]];

const BAD_JSON = [
  '',
  ' ',
  '\n',
  'null',
  'true',
  '0',
  '"{ __typename }"',
  '[]',
  '{}',
  '{',
  '}',
  '{"query":}',
  "{'query':'{ __typename }'}",
  '{"query":"{ __typename }",}',
  '{"query": NaN}',
  '{"query":"{ __typename }"} // comment',
  '{"query":"{ __typename }"}{"query":"{ __typename }"}',
  '{"query":"{ __typename }","query":"{ __typename __typename }"}',
  '{"query":"{ __typename }","variables":{"a":1e999999}}',
  '{"query":"\\ud800"}',
  '{"query":"\\u0000"}',
  '{"query":"{ __typename }\\u0000"}',
  '{"query":"\\x41"}',
  '\u0000',
  'query { __typename }',
  `${'['.repeat(100_000)}`,
  `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
];

const badJson = (sources: BodySources): fc.Arbitrary<Body> =>
  fc.oneof(
    fc.constantFrom(...BAD_JSON),
    // A valid body cut short, with junk after it, or with bad UTF-8 bytes in place of some of its own.
    fc.tuple(sources.operations, fc.nat()).map(([op, at]) => {
      const text = json(envelope(op));
      return text.slice(0, at % text.length);
    }),
    fc.tuple(sources.operations, fc.constantFrom('}', ']', 'x', '\u0000', ',', ' {}')).map(([op, junk]) => json(envelope(op)) + junk),
    fc.tuple(sources.operations, fc.nat(), fc.constantFrom(...BAD_UTF8)).map(([op, at, bad]) => {
      const bytes = utf8(json(envelope(op)));
      const i = at % bytes.length;
      return Uint8Array.from([...bytes.slice(0, i), ...bad, ...bytes.slice(i + 1)]);
    }),
    sources.operations.map((op) => Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(json(envelope(op)))])),
    sources.operations.map((op) => Buffer.from(json(envelope(op)), 'utf16le')),
    fc.uint8Array({ maxLength: 200 }),
  );

// ── Batches ──────────────────────────────────────────────────────────────────────────────────────

const batches = (sources: BodySources): fc.Arbitrary<Body> =>
  fc.oneof(
    fc.array(sources.operations.map(envelope), { minLength: 1, maxLength: 3 }).map(json),
    sources.operations.map((op) => json([envelope(op), 42, null])),
    sources.operations.map((op) => json([[envelope(op)]])),
    fc.constantFrom(1000, 10_000).map((n) => json(Array.from({ length: n }, () => ({ query: '{ __typename }' })))),
  );

/** Every kind of hostile body, built from the target's own valid operations. */
export function hostileBodies(sources: BodySources): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 4, arbitrary: corruptedText(sources) },
    { weight: 3, arbitrary: wrongVariables(sources) },
    { weight: 3, arbitrary: changedEnvelope(sources) },
    { weight: 3, arbitrary: hugeAndDeep(sources) },
    { weight: 2, arbitrary: badJson(sources) },
    { weight: 1, arbitrary: batches(sources) },
  );
}
