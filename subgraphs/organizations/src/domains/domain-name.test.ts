// The pure rules of a claimable email domain: normalisation and the names no organization may claim.
import { challengeName, challengeValue, domainName, emailDomainOf } from './domain-name';

const problemOf = (input: string) => {
  const result = domainName(input);
  return 'problem' in result ? result.problem : null;
};

describe('a domain as typed', () => {
  it('is trimmed, lower-cased and loses the root dot', () => {
    expect(domainName('  Acme.Example.  ')).toEqual({ domain: 'acme.example' });
    expect(domainName('Eng.ACME.co.uk')).toEqual({ domain: 'eng.acme.co.uk' });
  });

  it('becomes ASCII through IDNA', () => {
    expect(domainName('Bücher.example')).toEqual({ domain: 'xn--bcher-kva.example' });
    expect(domainName('xn--bcher-kva.example')).toEqual({ domain: 'xn--bcher-kva.example' });
  });

  it('is refused when it is no domain name', () => {
    for (const input of ['', '   ', 'user@acme.example', 'https://acme.example', 'acme.example/path', 'ac me.example', 'acme..example', '-acme.example', 'acme.123']) {
      expect([input, problemOf(input)]).toEqual([input, 'invalid']);
    }
  });

  it('is refused when it is an IP address, however written', () => {
    for (const input of ['127.0.0.1', '10.1', '0x7f.0.0.1', '::1', '[2001:db8::1]']) expect([input, problemOf(input)]).toEqual([input, 'ip_address']);
  });

  it('is refused as a single label', () => {
    expect(problemOf('localhost')).toBe('single_label');
    expect(problemOf('com')).toBe('single_label');
  });

  it('is refused when it is a public suffix alone', () => {
    for (const input of ['co.uk', 'github.io', 'com.au']) expect([input, problemOf(input)]).toEqual([input, 'public_suffix']);
    expect(domainName('acme.github.io')).toEqual({ domain: 'acme.github.io' });
  });

  it('is refused for a free email provider', () => {
    for (const input of ['gmail.com', 'Outlook.com', 'yahoo.com']) expect([input, problemOf(input)]).toEqual([input, 'free_email_provider']);
  });
});

describe('an email address', () => {
  it('has its domain compared in the same form', () => {
    expect(emailDomainOf('Ann@Bücher.Example')).toBe('xn--bcher-kva.example');
    expect(emailDomainOf('ann@acme.example')).toBe('acme.example');
    expect(emailDomainOf('nobody')).toBeNull();
  });
});

describe('the DNS challenge', () => {
  it('is a TXT record under the domain', () => {
    expect(challengeName('acme.example')).toBe('_orgapi-challenge.acme.example');
    expect(challengeValue('abc')).toBe('orgapi-verification=abc');
  });
});
