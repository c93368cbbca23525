// The password reset email: the link in both forms, its short lifetime, and what happens if it was not you.
import { passwordResetEmail } from './password-reset.email';

it('links to choosing a new password, says for how long, and escapes the name', () => {
  const email = passwordResetEmail({ email: 'ada@example.com', name: '"Ada" & co' }, { url: 'https://app.example/reset-password?token=xyz', ttlSeconds: 3600 });
  expect(email).toMatchObject({ to: 'ada@example.com', subject: 'Reset your password' });
  expect(email.text).toContain('Choose a new password: https://app.example/reset-password?token=xyz');
  expect(email.text).toContain('The link works once, for 1 hour.');
  expect(email.text).toContain('your password stays as it is');
  expect(email.html).toContain('Hi &quot;Ada&quot; &amp; co,');
});
