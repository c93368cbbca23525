// Apollo Server hands back placeholders; the writer turns them into the JSON pieces, once, keeping the text around them.
import { answerPieces, stringifyInChunks } from './chunked-results';

describe('stringifyInChunks and answerPieces', () => {
  it('stands for the result’s JSON with a placeholder the writer takes once', () => {
    const result = { data: { name: 'Ada', note: 'a NUL \u0000 inside' } };
    const placeholder = stringifyInChunks(result);
    expect(placeholder).not.toContain('Ada');
    expect(answerPieces(placeholder).join('')).toBe(JSON.stringify(result));
    expect(() => answerPieces(placeholder)).toThrow('taken already');
  });

  it('keeps what Apollo Server writes around placeholders: a batch’s brackets and commas', () => {
    const batch = `[${stringifyInChunks({ data: { a: 1 } })},${stringifyInChunks({ errors: [{ message: 'no' }] })}]`;
    expect(answerPieces(batch).join('')).toBe('[{"data":{"a":1}},{"errors":[{"message":"no"}]}]');
  });

  it('passes text without placeholders through as one piece', () => {
    expect(answerPieces('{"data":null}')).toEqual(['{"data":null}']);
  });
});
