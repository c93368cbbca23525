// Organization settings: changes are checked field by field and merged into what is there.
import { parseInput } from '@orgapi/shared';
import { mergeSettings, settingsChange, type OrganizationSettings } from './settings';

const DEFAULTS: OrganizationSettings = { defaultRole: 'MEMBER', invitationExpiryDays: 7, allowedEmailDomains: [], enrollmentMode: 'MANUAL' };

function refusal(change: unknown): { field: unknown; message: string } {
  try {
    parseInput(settingsChange, change);
  } catch (error) {
    const { extensions, message } = error as { extensions: { field: unknown }; message: string };
    return { field: extensions.field, message };
  }
  throw new Error('accepted');
}

describe('settingsChange', () => {
  it('lower-cases and trims domains', () => {
    expect(parseInput(settingsChange, { allowedEmailDomains: [' Example.COM', 'xn--bcher-kva.example'] }).allowedEmailDomains).toEqual([
      'example.com',
      'xn--bcher-kva.example',
    ]);
  });

  it.each([
    [{ defaultRole: 'OWNER' }, 'defaultRole', /cannot join as OWNER/],
    [{ invitationExpiryDays: 0 }, 'invitationExpiryDays', /at least 1 day/],
    [{ invitationExpiryDays: 31 }, 'invitationExpiryDays', /at most 30 days/],
    [{ invitationExpiryDays: 1.5 }, 'invitationExpiryDays', /whole number/],
    [{ allowedEmailDomains: ['example.com', 'user@example.com'] }, 'allowedEmailDomains.1', /domain name/],
    [{ allowedEmailDomains: ['localhost'] }, 'allowedEmailDomains.0', /domain name/],
    [{ allowedEmailDomains: ['-bad.com'] }, 'allowedEmailDomains.0', /domain name/],
    [{ allowedEmailDomains: ['example.com', 'EXAMPLE.com'] }, 'allowedEmailDomains.1', /listed twice/],
    [{ allowedEmailDomains: Array.from({ length: 51 }, (_, i) => `d${i}.example`) }, 'allowedEmailDomains', /At most 50/],
  ])('refuses %j, naming %s', (change, field, message) => {
    const refused = refusal(change);
    expect(refused.field).toBe(field);
    expect(refused.message).toMatch(message);
  });
});

describe('mergeSettings', () => {
  it('changes what is given and keeps the rest, null included', () => {
    expect(mergeSettings(DEFAULTS, { invitationExpiryDays: 14, enrollmentMode: null })).toEqual({ ...DEFAULTS, invitationExpiryDays: 14 });
  });

  it('can empty the list of domains', () => {
    expect(mergeSettings({ ...DEFAULTS, allowedEmailDomains: ['a.example'] }, { allowedEmailDomains: [] }).allowedEmailDomains).toEqual([]);
  });
});
