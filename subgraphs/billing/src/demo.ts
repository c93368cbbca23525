// Demo credits for `npm start`: a starting grant and a month of daily usage for each project and environment.
import type { DataSource } from 'typeorm';
import { newId } from '@orgapi/shared';

export interface DemoUsageTarget {
  id: string;
  projects: { id: string; environments: { id: string; mode: 'SANDBOX' | 'LIVE' }[] }[];
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

/** Grants credits and records 30 days of usage, unless the organization already has credits. */
export async function seedDemoCredits(db: DataSource, organization: DemoUsageTarget, grant: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [existing] = await tx.query('SELECT 1 FROM credit_grants WHERE organization_id = $1 LIMIT 1', [organization.id]);
    if (existing) return;
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    await tx.query('INSERT INTO credit_grants (id, organization_id, amount, reason, granted_at) VALUES ($1, $2, $3, $4, $5)', [
      newId('grt'),
      organization.id,
      grant,
      'Welcome grant',
      new Date(today - 35 * DAY_MS),
    ]);
    const random = pseudoRandom(organization.projects.length * 7919);
    const rows: unknown[][] = [];
    for (const [index, project] of organization.projects.entries()) {
      for (const environment of project.environments) {
        const scale = (environment.mode === 'LIVE' ? 40 : 8) * (index + 1);
        for (let day = 30; day >= 0; day--) {
          for (let event = 0; event < 4; event++) {
            const calls = Math.round(scale * (0.5 + random()));
            rows.push([newId('use'), organization.id, project.id, environment.id, calls, new Date(today - day * DAY_MS + event * 6 * 3_600_000 + 1_800_000)]);
          }
        }
      }
    }
    for (let start = 0; start < rows.length; start += 500) {
      const batch = rows.slice(start, start + 500);
      const values = batch.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, 'api_call', $${i * 6 + 5}, $${i * 6 + 5}, $${i * 6 + 6})`);
      await tx.query(
        `INSERT INTO usage_events (id, organization_id, project_id, environment_id, metric, quantity, amount, occurred_at) VALUES ${values.join(', ')}`,
        batch.flat(),
      );
    }
  });
}
