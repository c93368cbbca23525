// Which presented tokens are refused, and with which reason.
import { refusalOf } from './email-link.service';

const live = { used: false, replaced: false, expired: false, readdressed: false };

describe('a presented email link token', () => {
  it('is accepted when live', () => {
    expect(refusalOf(live)).toBeNull();
  });

  it.each([
    ['unknown', undefined, 'invalid'],
    ['used', { ...live, used: true }, 'used'],
    ['used and since expired', { ...live, used: true, expired: true }, 'used'],
    ['replaced by a newer link', { ...live, replaced: true }, 'invalid'],
    ['expired', { ...live, expired: true }, 'expired'],
    ['sent to an address the account no longer has', { ...live, readdressed: true }, 'invalid'],
  ])('is refused when %s', (_state, token, reason) => {
    expect(refusalOf(token)).toEqual({ reason, message: expect.any(String) });
  });
});
