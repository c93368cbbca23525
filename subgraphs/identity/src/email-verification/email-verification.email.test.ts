// The verification email: the link in both forms, the lifetime, and a name that cannot inject markup.
import { emailVerificationEmail } from './email-verification.email';

describe('the email verification email', () => {
  const email = emailVerificationEmail({ email: 'ada@example.com', name: 'Ada <b>Lovelace</b>' }, { url: 'http://localhost:4000/verify-email?token=abc', ttlSeconds: 86_400 });

  it('goes to the address it verifies, with the link in plain text and HTML', () => {
    expect(email).toMatchObject({ to: 'ada@example.com', subject: 'Confirm your email address' });
    expect(email.text).toContain('Confirm email address: http://localhost:4000/verify-email?token=abc');
    expect(email.html).toContain('href="http://localhost:4000/verify-email?token=abc"');
    expect(email.text).toContain('The link works once, for 24 hours.');
  });

  it('escapes the name the user chose', () => {
    expect(email.html).toContain('Hi Ada &lt;b&gt;Lovelace&lt;/b&gt;,');
    expect(email.text).toContain('Hi Ada <b>Lovelace</b>,');
  });
});
