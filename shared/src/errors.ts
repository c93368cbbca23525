// The error codes every service returns, and the formatter that keeps internals out of responses.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { logger } from './logger';

export const ErrorCode = {
  /** The HTTP request itself is malformed (method, headers, body): Apollo Server's own code for it, used alike. */
  BAD_REQUEST: 'BAD_REQUEST',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  /** A query over a service's depth or cost limit, refused before it runs. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** A creation that would take an organization or user past a quota (projects, members, organizations). */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  INSUFFICIENT_CREDITS: 'INSUFFICIENT_CREDITS',
  /** A request body, or the entities it asks a subgraph to resolve, over the service's limit. */
  REQUEST_TOO_LARGE: 'REQUEST_TOO_LARGE',
  /** An answer over the service's size limit, refused instead of being sent. */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A failure we mean to show the caller: a stable code and a message written for a person. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const badInput = (message: string, field?: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const unauthenticated = (message = 'You must be signed in to do this.') =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You do not have permission to do this.') =>
  new AppError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what} was not found.`);
export const conflict = (message: string, field?: string) =>
  new AppError(ErrorCode.CONFLICT, message, field ? { field } : {});

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));
// Codes graphql-js and Apollo Server produce for malformed requests; their messages are safe to show.
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

// Request errors Apollo Server raises without a code, and with terse messages: each gets a code and a clearer message.
const UNCODED_REQUEST_ERRORS = new Map([
  [
    'provided sha does not match query',
    'The persistedQuery sha256Hash is not the SHA-256 of the query sent with it: hash the exact query text, or send no hash.',
  ],
  ['Unsupported persisted query version', 'Only version 1 of the persistedQuery extension is supported.'],
]);

/**
 * Apollo Server `formatError`: errors we raised on purpose and request errors pass through without
 * stack traces; anything else is logged and replaced by a generic message, so no internals leak.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const original = unwrapResolverError(error);
  if (typeof code === 'string' && (REQUEST_CODES.has(code) || (KNOWN_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR'))) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const uncoded = original instanceof GraphQLError && original.extensions?.code === undefined && !original.originalError;
  if (uncoded && UNCODED_REQUEST_ERRORS.has(original.message)) {
    return { message: UNCODED_REQUEST_ERRORS.get(original.message)!, extensions: { code: ErrorCode.BAD_REQUEST } };
  }
  if (uncoded && /^Variable "\$/.test(original.message)) {
    // graphql-js coercion errors ("Variable "$x" got invalid value …") carry no code but are the caller's fault.
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  logger.error({ err: original }, 'unexpected error while resolving a request');
  return {
    message: 'Something went wrong on our side. It has been logged; please try again.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
