// The meters usage is recorded on, configured per deployment (METERS): each a name and a price in credits per unit.
// Unset, one meter exists: `requests`, at 1 credit each, as the billing issue asks.
import { z } from 'zod';

export interface Meter {
  name: string;
  description: string;
  creditsPerUnit: number;
}

/** More meters than any price list shows, few enough to list in one answer. */
export const MAX_METERS = 100;

export const DEFAULT_METERS: readonly Meter[] = [{ name: 'requests', description: 'API requests.', creditsPerUnit: 1 }];

const meter = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a meter name is lower-case letters, digits and _, starting with a letter, at most 64 characters'),
  description: z.string().max(500).default(''),
  creditsPerUnit: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/** METERS: a JSON array of {name, description?, creditsPerUnit}, names unique; empty or unset, the default meter. */
export const metersEnv = {
  METERS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text || text.trim() === '') return [...DEFAULT_METERS];
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'METERS must be JSON: [{"name": "requests", "creditsPerUnit": 1}, …]' });
        return z.NEVER;
      }
      const meters = z.array(meter).min(1).max(MAX_METERS).safeParse(parsed);
      if (!meters.success) {
        const [issue] = meters.error.issues;
        ctx.addIssue({ code: 'custom', message: `METERS ${issue.path.length ? `[${issue.path.join('.')}] ` : ''}${issue.message}` });
        return z.NEVER;
      }
      const names = meters.data.map((m) => m.name);
      const repeated = names.find((name, index) => names.indexOf(name) !== index);
      if (repeated) {
        ctx.addIssue({ code: 'custom', message: `METERS names the meter "${repeated}" twice` });
        return z.NEVER;
      }
      return meters.data as Meter[];
    }),
};
