// The operation executeQueryPlan shapes answers with: built once per parsed query, the same as federation-internals
// builds it, and in federation-internals' place.
import { buildSchema } from '@apollo/federation-internals';
import { parse, type DocumentNode } from 'graphql';
import { isUsingCachedOperations, memoizedOperationFromDocument, originalOperationFromDocument, useCachedOperations } from './operation-cache';

const SDL = 'type Query { a(n: Int): A } type A { b: Int c: String d: A }';
const QUERY = 'query($n: Int, $x: Boolean!) { a(n: $n) { b ...F @include(if: $x) } } fragment F on A { c d { b } }';

/** The document as executeQueryPlan hands it over: a new object each time, around the same parsed definitions. */
const asExecuteQueryPlanBuildsIt = (document: DocumentNode): DocumentNode => ({ kind: document.kind, definitions: [...document.definitions] });

describe('the memoized operationFromDocument', () => {
  const schema = buildSchema(SDL);
  const document = parse(QUERY);

  it('builds the operation federation-internals builds', () => {
    const built = memoizedOperationFromDocument(schema, asExecuteQueryPlanBuildsIt(document), { validate: false });
    expect(built.toString()).toBe(originalOperationFromDocument(schema, document, { validate: false }).toString());
  });

  it('builds it once for the same parsed query, whatever object wraps its definitions', () => {
    const first = memoizedOperationFromDocument(schema, asExecuteQueryPlanBuildsIt(document), { validate: false });
    expect(memoizedOperationFromDocument(schema, asExecuteQueryPlanBuildsIt(document), { validate: false })).toBe(first);
  });

  it('builds it again for another parse of the same text, another schema, or other fragments', () => {
    const first = memoizedOperationFromDocument(schema, asExecuteQueryPlanBuildsIt(document), { validate: false });
    expect(memoizedOperationFromDocument(schema, parse(QUERY), { validate: false })).not.toBe(first);
    expect(memoizedOperationFromDocument(buildSchema(SDL), asExecuteQueryPlanBuildsIt(document), { validate: false })).not.toBe(first);
    const otherFragment = parse('fragment F on A { b }').definitions[0];
    const withOther: DocumentNode = { kind: document.kind, definitions: [document.definitions[0], otherFragment] };
    const other = memoizedOperationFromDocument(schema, withOther, { validate: false });
    expect(other).not.toBe(first);
    expect(other.toString()).toContain('fragment F on A {\n  b\n}');
  });

  it('leaves every other call to the original: validation on, an operation name, or more than one operation', () => {
    expect(memoizedOperationFromDocument(schema, document)).not.toBe(memoizedOperationFromDocument(schema, document));
    expect(memoizedOperationFromDocument(schema, document, { validate: false, operationName: undefined })).toBe(
      memoizedOperationFromDocument(schema, document, { validate: false }),
    );
    const named = parse('query One { a { b } } query Two { a { c } }');
    expect(memoizedOperationFromDocument(schema, named, { validate: false, operationName: 'Two' }).toString()).toContain('c');
  });

  it('keeps nothing for a query that fails, which fails again the next time', () => {
    const unknown = parse('{ a { nope } }');
    expect(() => memoizedOperationFromDocument(schema, unknown, { validate: false })).toThrow(/nope/);
    expect(() => memoizedOperationFromDocument(schema, unknown, { validate: false })).toThrow(/nope/);
  });

  it('is in the place where @apollo/gateway finds it', () => {
    expect(useCachedOperations()).toBe(true);
    expect(isUsingCachedOperations()).toBe(true);
    // @apollo/gateway reads it through the package's index at each call.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect((require('@apollo/federation-internals') as { operationFromDocument: unknown }).operationFromDocument).toBe(memoizedOperationFromDocument);
  });
});
