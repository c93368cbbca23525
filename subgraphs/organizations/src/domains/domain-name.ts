// The pure rules of a claimable email domain: how one typed by a person becomes the name stored and checked, and which names no organization may claim.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { isCompanyDomain } from 'company-email-validator';
import { parse } from 'tldts';

/** Why a name cannot be claimed: each becomes `extensions.reason` of the BAD_USER_INPUT. */
export type DomainProblem = 'invalid' | 'ip_address' | 'single_label' | 'public_suffix' | 'free_email_provider';

export type DomainName = { domain: string } | { problem: DomainProblem; message: string };

// ASCII labels of letters, digits and inner hyphens (63 at most), a top-level label that is not all digits: what IDNA gives back.
const ASCII_DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?|xn--[a-z0-9-]{1,59})$/;

const refused = (problem: DomainProblem, message: string): DomainName => ({ problem, message });

/**
 * An email domain as people type it (`  Bücher.Example. `) as it is stored and looked up in DNS: trimmed, lower-case,
 * IDNA to ASCII (`xn--bcher-kva.example`), without the root's trailing dot. Refuses IP addresses, single labels
 * (`localhost`), public suffixes alone (`com`, `co.uk`, `github.io`: nobody owns everyone's addresses there) and the
 * big free mail providers (`gmail.com`: its users are not one company's people).
 */
export function domainName(input: string): DomainName {
  const typed = input.trim().replace(/\.$/, '').toLowerCase();
  if (isIP(typed.replace(/^\[|\]$/g, '')) !== 0) return refused('ip_address', 'An IP address is not an email domain: enter a domain name such as `example.com`.');
  if (typed === '' || /[\s@/:?#\\]/.test(typed)) return refused('invalid', 'Enter a domain name such as `example.com`, without `@`, `https://` or a path.');
  const ascii = domainToASCII(typed);
  // The URL standard reads `127.1` and `0x7f.0.0.1` as IPv4 addresses too.
  if (isIP(ascii) !== 0) return refused('ip_address', 'An IP address is not an email domain: enter a domain name such as `example.com`.');
  if (ascii === '') return refused('invalid', 'This is not a valid domain name. Enter one such as `example.com`.');
  if (!ascii.includes('.')) return refused('single_label', 'A domain needs at least two labels, such as `example.com`.');
  if (!ASCII_DOMAIN.test(ascii)) return refused('invalid', 'This is not a valid domain name. Enter one such as `example.com`.');
  const parsed = parse(ascii, { allowPrivateDomains: true });
  if (parsed.isIp) return refused('ip_address', 'An IP address is not an email domain: enter a domain name such as `example.com`.');
  if (parsed.domain === null || parsed.publicSuffix === ascii) {
    return refused('public_suffix', `\`${ascii}\` is a public suffix, under which anyone can register a domain: claim your own domain under it instead.`);
  }
  if (!isCompanyDomain(ascii)) return refused('free_email_provider', `\`${ascii}\` is a free email provider: its users are not your organization's people. Claim your own domain instead.`);
  return { domain: ascii };
}

/** The domain of an email address, in the form domainName gives (an address's domain is ASCII or IDNA-able). */
export function emailDomainOf(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 0) return null;
  const ascii = domainToASCII(email.slice(at + 1).trim().replace(/\.$/, '').toLowerCase());
  return ascii === '' ? null : ascii;
}

/** The DNS name whose TXT record proves control of `domain`. */
export const challengeName = (domain: string): string => `_orgapi-challenge.${domain}`;

/** The TXT record's value for a verification token. */
export const challengeValue = (token: string): string => `orgapi-verification=${token}`;
