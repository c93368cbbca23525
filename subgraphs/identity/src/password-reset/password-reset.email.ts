// The email with a link to choose a new password.
import { describeDuration, renderEmail, type Email } from '@orgapi/shared';

export function passwordResetEmail(user: { email: string; name: string }, link: { url: string; ttlSeconds: number }): Email {
  return renderEmail({
    to: user.email,
    subject: 'Reset your password',
    paragraphs: [`Hi ${user.name},`, `Someone, we hope you, asked to reset the password of the account ${user.email}.`],
    action: { label: 'Choose a new password', url: link.url },
    footer: [
      `The link works once, for ${describeDuration(link.ttlSeconds)}. Choosing a new password signs you out everywhere.`,
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ],
  });
}
