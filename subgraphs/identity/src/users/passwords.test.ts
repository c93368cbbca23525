// The password policy and hashing: what a new password must be, and that a hash checks only its own password.
import { hashPassword, newPassword, passwordMatches, PASSWORD_MAX_LENGTH } from './passwords';

const problem = (password: string) => {
  const result = newPassword.safeParse(password);
  return result.success ? null : result.error.issues[0].message;
};

describe('a new password', () => {
  it('is accepted when long enough and uncommon', () => {
    expect(problem('correct horse battery staple')).toBeNull();
  });

  it('needs at least 8 characters', () => {
    expect(problem('k7#qP2x')).toBe('Choose a password of at least 8 characters.');
  });

  it(`is at most ${PASSWORD_MAX_LENGTH} characters`, () => {
    expect(problem('x'.repeat(PASSWORD_MAX_LENGTH + 1))).toBe(`A password is at most ${PASSWORD_MAX_LENGTH} characters.`);
  });

  it('may not be one of the most common passwords, whatever its case', () => {
    expect(problem('password')).toMatch(/most common/);
    expect(problem('PassWord')).toMatch(/most common/);
  });

  it('may not contain NUL', () => {
    expect(problem('long enough\0really')).toBe("Text can't contain a NUL character (U+0000).");
  });
});

describe('a password hash', () => {
  it('is argon2id and matches only its own password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await passwordMatches(hash, 'correct horse battery staple')).toBe(true);
    expect(await passwordMatches(hash, 'correct horse battery stapler')).toBe(false);
  });

  it('matches nothing when there is no account', async () => {
    expect(await passwordMatches(null, 'correct horse battery staple')).toBe(false);
  });
});
