// Reading the Authorization header: no header is an anonymous caller; anything but "Bearer <token>" is refused.
import { HeaderMap } from '@apollo/server';
import { bearerToken, CredentialError } from './auth';

describe('bearerToken', () => {
  it.each([undefined, ''])('reads no header (%p) as an anonymous caller', (header) => {
    expect(bearerToken(header)).toBeNull();
  });

  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer pat_123', 'pat_123'],
    ['BEARER   spaced  ', 'spaced'],
  ])('takes the token out of %p', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer two tokens', 'abc.def.ghi', 'Token abc'])('refuses %p with 401 and an RFC 6750 challenge', (header) => {
    let refused: unknown;
    try {
      bearerToken(header);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(CredentialError);
    const error = refused as CredentialError;
    expect(error.reason).toBe('malformed');
    expect(error.message).toBe('The Authorization header must be "Bearer <token>".');
    expect(error.extensions).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'malformed',
      http: { status: 401, headers: new HeaderMap([['www-authenticate', `Bearer error="invalid_token", error_description="The Authorization header must be 'Bearer <token>'."`]]) },
    });
  });
});
