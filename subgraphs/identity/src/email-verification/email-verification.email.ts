// The email that asks a user to confirm their address.
import { describeDuration, renderEmail, type Email } from '@orgapi/shared';

export function emailVerificationEmail(user: { email: string; name: string }, link: { url: string; ttlSeconds: number }): Email {
  return renderEmail({
    to: user.email,
    subject: 'Confirm your email address',
    paragraphs: [`Hi ${user.name},`, `Please confirm that ${user.email} is your email address.`],
    action: { label: 'Confirm email address', url: link.url },
    footer: [`The link works once, for ${describeDuration(link.ttlSeconds)}.`, 'If you did not create an account, you can ignore this email.'],
  });
}
