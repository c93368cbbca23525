// The email that invites someone to join an organization.
import { describeDuration, renderEmail, type Email } from '@orgapi/shared';

export function invitationEmail(invitation: { email: string; role: string }, organization: { name: string }, invitedBy: string, link: { url: string; ttlSeconds: number }): Email {
  return renderEmail({
    to: invitation.email,
    subject: `You are invited to join ${organization.name}`,
    paragraphs: [
      'Hi,',
      `${invitedBy} invited you to join ${organization.name} as ${invitation.role}.`,
      `To accept, sign in (or sign up) with ${invitation.email}, confirm that address if you have not yet, and open the link below.`,
    ],
    action: { label: `Join ${organization.name}`, url: link.url },
    footer: [`The link works once, for ${describeDuration(link.ttlSeconds)}.`, 'If you did not expect this invitation, you can ignore this email.'],
  });
}
