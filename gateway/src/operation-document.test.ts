// The planner sees only the operation a request runs and the fragments it uses, however many the document defines.
import { parse, print } from 'graphql';
import { operationDocument } from './operation-document';

const DOCUMENT = parse(`
  query A { ...Shared }
  query B($slug: String) { ...Shared ...BOnly }
  fragment Shared on Query { viewer { ...Deep } }
  fragment Deep on User { id }
  fragment BOnly on Query { organization(slug: $slug) { id } }
`);

const names = (operationName: string | null) =>
  operationDocument(DOCUMENT, operationName).definitions.map((d) => ('name' in d && d.name ? d.name.value : d.kind));

describe('operationDocument', () => {
  it('keeps the operation run and the fragments it spreads, directly or through another fragment', () => {
    expect(names('A')).toEqual(['A', 'Shared', 'Deep']);
    expect(names('B')).toEqual(['B', 'Shared', 'BOnly', 'Deep']);
  });

  it('leaves a document of one operation as it is', () => {
    const single = parse('query A { ...F } fragment F on Query { __typename }');
    expect(operationDocument(single, null)).toBe(single);
    expect(operationDocument(single, 'A')).toBe(single);
  });

  it('leaves the document as it is when no operation has that name, or none is named among several', () => {
    expect(operationDocument(DOCUMENT, 'C')).toBe(DOCUMENT);
    expect(operationDocument(DOCUMENT, null)).toBe(DOCUMENT);
  });

  it('prints as valid GraphQL', () => {
    expect(print(operationDocument(DOCUMENT, 'A'))).toBe(print(parse('query A { ...Shared } fragment Shared on Query { viewer { ...Deep } } fragment Deep on User { id }')));
  });
});
