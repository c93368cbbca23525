// Email messages rendered from a template: one description becomes plain text and HTML, every value HTML-escaped.
import { encode as escape } from 'html-entities';

/** A message ready to queue: its recipient, and the same content as plain text and as HTML. */
export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** A link the reader is asked to follow, shown as a button in HTML and as a bare URL in plain text. */
export interface EmailAction {
  label: string;
  url: string;
}

/**
 * What a transactional email says. Templates (one function per kind of email, in the subgraph that sends it) fill
 * this in; renderEmail lays it out, so every email looks alike and no template writes HTML by hand.
 */
export interface EmailContent {
  to: string;
  subject: string;
  /** Paragraphs before the action, plain text. */
  paragraphs: string[];
  action?: EmailAction;
  /** Smaller print after the action: how long the link works, what to do if this was not you. */
  footer?: string[];
}

const FONT = 'font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif';
const BUTTON = 'display: inline-block; padding: 10px 18px; background: #1f2937; color: #ffffff; border-radius: 6px; text-decoration: none';

// A link in an email must be one a mail client opens in a browser; anything else (javascript:, data:) is a bug.
function webUrl(url: string): string {
  const protocol = new URL(url).protocol;
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`An email link must be http(s), not ${protocol}`);
  return url;
}

/** Lays out an email's content as plain text and HTML; text never becomes markup. */
export function renderEmail(content: EmailContent): Email {
  const footer = content.footer ?? [];
  const action = content.action && { label: content.action.label, url: webUrl(content.action.url) };
  const text = [...content.paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), ...footer].join('\n\n') + '\n';
  const paragraph = (body: string, style = '') => `<p style="margin: 0 0 16px;${style}">${escape(body)}</p>`;
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escape(content.subject)}</title></head>`,
    `<body style="${FONT}; color: #111827; line-height: 1.5; max-width: 560px; margin: 0 auto; padding: 24px;">`,
    ...content.paragraphs.map((body) => paragraph(body)),
    ...(action ? [`<p style="margin: 24px 0;"><a href="${escape(action.url)}" style="${BUTTON}">${escape(action.label)}</a></p>`] : []),
    ...(action ? [paragraph(`Or open this link: ${action.url}`, ' font-size: 13px; color: #4b5563; word-break: break-all;')] : []),
    ...footer.map((body) => paragraph(body, ' font-size: 13px; color: #6b7280;')),
    '</body></html>',
  ].join('\n');
  return { to: content.to, subject: content.subject, text, html };
}

/**
 * A link into the frontend at `appUrl` (APP_URL), such as `verify-email?token=…`. A path in `appUrl` is kept
 * (https://example.com/app/ + verify-email is https://example.com/app/verify-email).
 */
export function appLink(appUrl: string, path: string, query: Record<string, string> = {}): string {
  const url = new URL(path.replace(/^\/+/, ''), appUrl.endsWith('/') ? appUrl : `${appUrl}/`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}

/** A lifetime as an email states it ("24 hours", "1 hour", "7 days", "90 minutes"): days from two days on. */
export function describeDuration(seconds: number): string {
  const [amount, unit] = seconds % 86_400 === 0 && seconds >= 2 * 86_400 ? [seconds / 86_400, 'day'] : seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [Math.round(seconds / 60), 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}
