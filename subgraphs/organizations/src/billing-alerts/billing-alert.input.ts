// What billing says when an organization's balance crosses a line (shared/src/event-outbox.ts), validated on arrival.
import { z } from 'zod';
import type { BillingAlert } from '@orgapi/shared';

export const BILLING_ALERT_KINDS = ['BALANCE_DROPPED', 'BALANCE_DEPLETED', 'BALANCE_RECOVERED'] as const satisfies readonly BillingAlert['kind'][];

export const billingAlertPayload = z.object({
  alertId: z.string().min(1).max(100),
  organizationId: z.string().min(1).max(100),
  kind: z.enum(BILLING_ALERT_KINDS),
  // Credits are integers, as billing stores them; a balance is negative within an overdraft.
  balance: z.number().int(),
  threshold: z.number().int().min(0).nullable(),
}) satisfies z.ZodType<BillingAlert>;
