// What callers see of an error: our codes and request errors as they are, without stack traces; anything else hidden.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError, badInput, ErrorCode, formatError, forbidden } from './errors';

const STACK = ['Error: at resolver (/srv/app/dist/secret-path.js:1:1)'];
const LOCATIONS = [{ line: 1, column: 3 }];
const PATH = ['organization', 'name'];

/** The error as Apollo Server hands it to formatError: graphql-js' shape, a code (INTERNAL_SERVER_ERROR if none) and a stack trace. */
const formatted = (error: GraphQLError, code = (error.extensions.code as string | undefined) ?? 'INTERNAL_SERVER_ERROR'): GraphQLFormattedError => ({
  message: error.message,
  locations: LOCATIONS,
  path: PATH,
  extensions: { ...error.extensions, code, stacktrace: STACK },
});

/** An error thrown inside a resolver, as graphql-js wraps it. */
const fromResolver = (original: Error) => new GraphQLError(original.message, { originalError: original, path: PATH });

describe('formatError', () => {
  it.each([
    ['our own error', badInput('A name is at most 100 characters.', 'name')],
    ['an access refusal', forbidden()],
    ['an error with extra extensions', new AppError(ErrorCode.RATE_LIMITED, 'Too many attempts.', { retryAfterSeconds: 60 })],
  ])('passes %s through without its stack trace', (_, error) => {
    const answer = formatError(formatted(error), fromResolver(error));
    const { stacktrace: _stack, ...extensions } = formatted(error).extensions!;
    expect(answer).toEqual({ message: error.message, locations: LOCATIONS, path: PATH, extensions });
    expect(JSON.stringify(answer)).not.toContain('secret-path');
  });

  it.each(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND'])(
    'passes the request error %s through: its message is about the query the caller sent',
    (code) => {
      const error = new GraphQLError('Cannot query field "nmae" on type "Organization".');
      expect(formatError(formatted(error, code), error)).toEqual({ message: error.message, locations: LOCATIONS, path: PATH, extensions: { code } });
    },
  );

  it.each([
    ['a persisted query whose hash does not match its text', 'provided sha does not match query', /sha256Hash is not the SHA-256 of the query/],
    ['a persisted query version other than 1', 'Unsupported persisted query version', /Only version 1/],
  ])('gives %s, which Apollo Server reports without a code, BAD_REQUEST and a clearer message', (_case, apolloMessage, message) => {
    // As Apollo Server raises it: no code, only the HTTP status it wants.
    const error = new GraphQLError(apolloMessage, { extensions: { http: { status: 400 } } });
    const answer = formatError(formatted(error), error);
    expect(answer.extensions).toEqual({ code: 'BAD_REQUEST' });
    expect(answer.message).toMatch(message);
  });

  it.each([
    ['a driver error', fromResolver(new Error('password authentication failed for user "orgapi_identity"'))],
    ['a GraphQLError without a code', new GraphQLError('Cannot return null for non-nullable field Organization.name.')],
    ['an error with a code we do not know', fromResolver(new AppError('SOMETHING_ELSE' as ErrorCode, 'internal detail'))],
  ])('replaces %s by a generic message', (_, error) => {
    const answer = formatError(formatted(error), error);
    expect(answer).toEqual({
      message: 'Something went wrong on our side. It has been logged; please try again.',
      locations: LOCATIONS,
      path: PATH,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('does not pass on an INTERNAL_SERVER_ERROR we raised ourselves: its message may say too much', () => {
    const error = new AppError(ErrorCode.INTERNAL_SERVER_ERROR, 'connection to 10.0.0.5 refused');
    expect(formatError(formatted(error), fromResolver(error)).message).toBe('Something went wrong on our side. It has been logged; please try again.');
  });

  it("turns graphql-js' variable errors, which carry no code, into BAD_USER_INPUT", () => {
    const error = new GraphQLError('Variable "$from" got invalid value "yesterday"; Expected type "DateTime".');
    expect(formatError(formatted(error), error)).toEqual({ message: error.message, locations: LOCATIONS, path: PATH, extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('does not mistake a resolver failure whose message starts like a variable error for one', () => {
    const error = fromResolver(new Error('Variable "$x" leaked from SQL'));
    expect(formatError(formatted(error), error).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
