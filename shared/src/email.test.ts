// Rendering emails: values never become markup, plain text and HTML say the same, and links keep APP_URL's path.
import { appLink, describeDuration, renderEmail } from './email';

const content = {
  to: 'ada@example.com',
  subject: 'Confirm <your> email',
  paragraphs: ['Hi <script>alert("x")</script> & co,', 'Confirm this address.'],
  action: { label: 'Confirm "now"', url: 'https://app.example/verify?token=a&b=<c>' },
  footer: ['The link works for 24 hours.'],
};

describe('renderEmail', () => {
  const email = renderEmail(content);

  it('escapes every value in the HTML', () => {
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co,');
    expect(email.html).toContain('<title>Confirm &lt;your&gt; email</title>');
    expect(email.html).toContain('href="https://app.example/verify?token=a&amp;b=&lt;c&gt;"');
    expect(email.html).toContain('>Confirm &quot;now&quot;</a>');
  });

  it('says the same in plain text, unescaped, with the link spelled out', () => {
    expect(email.text).toBe(
      'Hi <script>alert("x")</script> & co,\n\nConfirm this address.\n\nConfirm "now": https://app.example/verify?token=a&b=<c>\n\nThe link works for 24 hours.\n',
    );
    expect(email).toMatchObject({ to: 'ada@example.com', subject: 'Confirm <your> email' });
  });

  it('refuses a link a mail client would not open in a browser', () => {
    expect(() => renderEmail({ ...content, action: { label: 'x', url: 'javascript:alert(1)' } })).toThrow(/http\(s\)/);
  });

  it('needs no action', () => {
    expect(renderEmail({ to: 'a@b.c', subject: 's', paragraphs: ['p'] }).text).toBe('p\n');
  });
});

describe('appLink', () => {
  it.each([
    ['http://localhost:4000', 'http://localhost:4000/verify-email?token=t%2Bk'],
    ['http://localhost:4000/', 'http://localhost:4000/verify-email?token=t%2Bk'],
    ['https://example.com/app', 'https://example.com/app/verify-email?token=t%2Bk'],
    ['https://example.com/app/', 'https://example.com/app/verify-email?token=t%2Bk'],
  ])('joins %s and a path, encoding the query', (appUrl, expected) => {
    expect(appLink(appUrl, '/verify-email', { token: 't+k' })).toBe(expected);
  });
});

describe('describeDuration', () => {
  it.each([
    [86_400, '24 hours'],
    [2 * 86_400, '2 days'],
    [7 * 86_400, '7 days'],
    [3600, '1 hour'],
    [24 * 3600 + 3600, '25 hours'],
    [5400, '90 minutes'],
    [60, '1 minute'],
  ])('says %i seconds as %s', (seconds, words) => {
    expect(describeDuration(seconds)).toBe(words);
  });
});
