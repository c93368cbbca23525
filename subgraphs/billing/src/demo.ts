// Demo credits for `npm start`: a starting grant and a month of daily usage for each project and environment.
import type { DataSource } from 'typeorm';
import type { EnvironmentMode } from '@orgapi/shared';
import { CreditService } from './credits/credit.service';
import { UsageService, type ApiCalls } from './usage/usage.service';

export interface DemoUsageTarget {
  id: string;
  projects: { id: string; environments: { id: string; mode: EnvironmentMode }[] }[];
}

const DAY_MS = 86_400_000;

/** A small deterministic generator, so every fresh demo database shows the same chart shape. */
function pseudoRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** 31 days of calls up to `today`, four moments a day, LIVE busier than SANDBOX and each project busier than the last. */
function demoCalls(organization: DemoUsageTarget, today: number): ApiCalls[] {
  const random = pseudoRandom(organization.projects.length * 7919);
  const usage: ApiCalls[] = [];
  for (const [index, project] of organization.projects.entries()) {
    for (const environment of project.environments) {
      const scale = (environment.mode === 'LIVE' ? 40 : 8) * (index + 1);
      for (let day = 30; day >= 0; day--) {
        for (let event = 0; event < 4; event++) {
          usage.push({
            organizationId: organization.id,
            projectId: project.id,
            environmentId: environment.id,
            calls: Math.round(scale * (0.5 + random())),
            occurredAt: new Date(today - day * DAY_MS + event * 6 * 3_600_000 + 1_800_000),
          });
        }
      }
    }
  }
  return usage;
}

/** Grants credits and records a month of usage, unless the organization already has credits. */
export async function seedDemoCredits(db: DataSource, organization: DemoUsageTarget, grant: number): Promise<void> {
  await db.transaction(async (tx) => {
    const credits = new CreditService(tx);
    if (await credits.hasGrants(organization.id)) return;
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    await credits.grant({ organizationId: organization.id, amount: grant, reason: 'Welcome grant', grantedAt: new Date(today - 35 * DAY_MS) });
    await new UsageService(tx).record(demoCalls(organization, today));
  });
}
