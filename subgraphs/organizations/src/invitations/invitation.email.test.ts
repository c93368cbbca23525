// The invitation email: who invites, to what, with which role, and how long the link works.
import { invitationEmail } from './invitation.email';

describe('the invitation email', () => {
  const email = invitationEmail(
    { email: 'ann@example.com', role: 'ADMIN' },
    { name: 'Acme <Corp>' },
    'ada@example.com',
    { url: 'https://app.example.com/invitations/accept?token=abc', ttlSeconds: 7 * 86_400 },
  );

  it('names the organization, the role, the inviter and the address that must accept', () => {
    expect(email.to).toBe('ann@example.com');
    expect(email.subject).toBe('You are invited to join Acme <Corp>');
    expect(email.text).toContain('ada@example.com invited you to join Acme <Corp> as ADMIN.');
    expect(email.text).toContain('sign up) with ann@example.com');
    expect(email.text).toContain('Join Acme <Corp>: https://app.example.com/invitations/accept?token=abc');
    expect(email.text).toContain('The link works once, for 7 days.');
  });

  it('escapes what the organization is called in HTML', () => {
    expect(email.html).toContain('Acme &lt;Corp&gt;');
    expect(email.html).not.toContain('<Corp>');
  });
});
