// The billing alert email: what happened to the balance, against which threshold, and where to act on it.
import { billingAlertEmail } from './billing-alert.email';

const URL = 'https://app.example.com/acme/billing';
const email = (alert: { kind: 'BALANCE_DROPPED' | 'BALANCE_DEPLETED' | 'BALANCE_RECOVERED'; balance: number; threshold: number | null }) =>
  billingAlertEmail(alert, { name: 'Acme <Corp>' }, 'ada@example.com', URL);

describe('the billing alert email', () => {
  it('tells of a low balance with the balance, the threshold and the billing page', () => {
    const low = email({ kind: 'BALANCE_DROPPED', balance: 4500, threshold: 5000 });
    expect(low.to).toBe('ada@example.com');
    expect(low.subject).toBe("Acme <Corp>'s credit balance is low");
    expect(low.text).toContain('Acme <Corp> has 4,500 credits left, under its low-balance alert of 5,000 credits.');
    expect(low.text).toContain(`Open Acme <Corp>'s billing: ${URL}`);
    expect(low.text).toContain('your role in Acme <Corp> lets you manage billing');
  });

  it('tells of an empty balance, an overdraft included', () => {
    const out = email({ kind: 'BALANCE_DEPLETED', balance: -20, threshold: null });
    expect(out.subject).toBe('Acme <Corp> has run out of credits');
    expect(out.text).toContain("Acme <Corp>'s credit balance is down to -20 credits.");
  });

  it('does not sound the all-clear for a balance back from zero but still under the threshold', () => {
    expect(email({ kind: 'BALANCE_RECOVERED', balance: 100, threshold: 500 }).text).toContain('back up to 100 credits, still under its low-balance alert of 500 credits.');
    expect(email({ kind: 'BALANCE_RECOVERED', balance: 1, threshold: 1 }).text).toContain('back up to 1 credit, no longer under its low-balance alert of 1 credit.');
    expect(email({ kind: 'BALANCE_RECOVERED', balance: 900, threshold: null }).text).toContain('back up to 900 credits.');
  });

  it('escapes what the organization is called in HTML', () => {
    const { html } = email({ kind: 'BALANCE_DROPPED', balance: 1, threshold: 2 });
    expect(html).toContain('Acme &lt;Corp&gt;');
    expect(html).not.toContain('<Corp>');
  });
});
