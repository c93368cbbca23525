// Choosing where email goes, and saying so without the SMTP password.
import { mailTransport, smtpTransport } from './mail-transport';

const FROM = 'Acme <no-reply@acme.example>';

it('prints email in the log when no SMTP server is configured', () => {
  expect(mailTransport({ SMTP_URL: undefined, MAIL_FROM: FROM }).description).toBe('printed in the log (SMTP_URL is unset)');
});

it('names the SMTP server it sends through, never its credentials', () => {
  const transport = mailTransport({ SMTP_URL: 'smtp://mailer:s3cret@mail.example:2525', MAIL_FROM: FROM });
  expect(transport.description).toBe('SMTP at mail.example:2525');
  expect(smtpTransport('smtps://mailer:s3cret@mail.example', FROM).description).toBe('SMTP at mail.example:465');
});
