// The email that tells the members who manage billing that an organization's credit balance fell low, ran out or came back.
import { renderEmail, type BillingAlert, type Email } from '@orgapi/shared';

const credits = (amount: number) => `${amount.toLocaleString('en-US')} credit${Math.abs(amount) === 1 ? '' : 's'}`;

/** What the email says of each kind of alert: its subject and what the reader should know. */
function message(alert: Pick<BillingAlert, 'kind' | 'balance' | 'threshold'>, name: string): { subject: string; paragraphs: string[] } {
  const balance = credits(alert.balance);
  const threshold = alert.threshold === null ? null : credits(alert.threshold);
  switch (alert.kind) {
    case 'BALANCE_DROPPED':
      return {
        subject: `${name}'s credit balance is low`,
        paragraphs: [`${name} has ${balance} left${threshold ? `, under its low-balance alert of ${threshold}` : ''}.`, 'Add credits before the balance runs out.'],
      };
    case 'BALANCE_DEPLETED':
      return {
        subject: `${name} has run out of credits`,
        paragraphs: [`${name}'s credit balance is down to ${balance}.`, 'Add credits to pay for further usage.'],
      };
    case 'BALANCE_RECOVERED': {
      // A balance that climbs out of zero may still be under the threshold: say so rather than sound the all-clear.
      const where = threshold === null ? '' : alert.balance < alert.threshold! ? `, still under its low-balance alert of ${threshold}` : `, no longer under its low-balance alert of ${threshold}`;
      return { subject: `${name}'s credit balance is back up`, paragraphs: [`${name}'s credit balance is back up to ${balance}${where}.`] };
    }
  }
}

/** The alert's email to one member who manages billing, linking to the organization's billing page (`billingUrl`). */
export function billingAlertEmail(alert: Pick<BillingAlert, 'kind' | 'balance' | 'threshold'>, organization: { name: string }, to: string, billingUrl: string): Email {
  const { subject, paragraphs } = message(alert, organization.name);
  return renderEmail({
    to,
    subject,
    paragraphs: ['Hi,', ...paragraphs],
    action: { label: `Open ${organization.name}'s billing`, url: billingUrl },
    footer: [`You get this email because your role in ${organization.name} lets you manage billing.`],
  });
}
