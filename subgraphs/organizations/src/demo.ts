// Demo organizations for `npm start`: Acme with five members, three projects, an invitation waiting for Hedy and the
// verified domain acme.example, and Globex where Ada is an admin.
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { ENVIRONMENT_MODES, mailEnv, newId, type EnvironmentMode, type Role } from '@orgapi/shared';
import { recordFirstVersions } from './configuration/configuration.service';
import { InvitationService } from './invitations/invitation.service';
import { MembershipService } from './memberships/membership.service';
import { claimSlug } from './organizations/slug-history';
import { quotaEnv, quotasOf } from './quotas';

export interface DemoOrganization {
  id: string;
  slug: string;
  projects: { id: string; environments: { id: string; mode: EnvironmentMode }[] }[];
}

interface DemoOrganizationSpec {
  slug: string;
  name: string;
  members: { userId: string; role: Role }[];
  projects: { name: string; configuration: Record<string, unknown> }[];
  /** Email domains the organization holds, verified: the seed has no DNS to prove them through, so it records them as proven. */
  verifiedDomains?: string[];
}

/** Creates the organization unless its slug exists already; either way returns it with its projects. */
async function seedOrganization(db: DataSource, spec: DemoOrganizationSpec): Promise<DemoOrganization> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.query('SELECT id FROM organizations WHERE slug = $1', [spec.slug]);
    const id: string = existing?.id ?? newId('org');
    if (!existing) {
      await tx.query('INSERT INTO organizations (id, slug, name) VALUES ($1, $2, $3)', [id, spec.slug, spec.name]);
      await claimSlug(tx, spec.slug, id);
      for (const member of spec.members) {
        await tx.query('INSERT INTO memberships (id, organization_id, user_id, role) VALUES ($1, $2, $3, $4)', [newId('mem'), id, member.userId, member.role]);
      }
      for (const domain of spec.verifiedDomains ?? []) {
        await tx.query(`INSERT INTO domains (id, organization_id, domain, verification_token, status, verified_at) VALUES ($1, $2, $3, $4, 'VERIFIED', now())`, [
          newId('dom'),
          id,
          domain,
          randomBytes(24).toString('base64url'),
        ]);
      }
      for (const project of spec.projects) {
        const projectId = newId('prj');
        await tx.query('INSERT INTO projects (id, organization_id, name) VALUES ($1, $2, $3)', [projectId, id, project.name]);
        for (const mode of ENVIRONMENT_MODES) {
          const configuration = { ...project.configuration, mode: mode.toLowerCase() };
          await tx.query('INSERT INTO environments (id, organization_id, project_id, mode, configuration) VALUES ($1, $2, $3, $4, $5)', [
            newId('env'),
            id,
            projectId,
            mode,
            configuration,
          ]);
        }
        await recordFirstVersions(tx, projectId);
      }
    }
    const environments: { id: string; project_id: string; mode: EnvironmentMode }[] = await tx.query(
      'SELECT id, project_id, mode FROM environments WHERE organization_id = $1 ORDER BY project_id, mode DESC',
      [id],
    );
    const projectIds = [...new Set(environments.map((e) => e.project_id))];
    return {
      id,
      slug: spec.slug,
      projects: projectIds.map((projectId) => ({
        id: projectId,
        environments: environments.filter((e) => e.project_id === projectId).map((e) => ({ id: e.id, mode: e.mode })),
      })),
    };
  });
}

export async function seedDemoOrganizations(
  db: DataSource,
  people: { ada: string; grace: string; katherine: string; linus: string; margaret: string },
): Promise<DemoOrganization[]> {
  const acme = await seedOrganization(db, {
    slug: 'acme',
    name: 'Acme Corporation',
    members: [
      { userId: people.ada, role: 'OWNER' },
      { userId: people.grace, role: 'ADMIN' },
      { userId: people.katherine, role: 'BILLING' },
      { userId: people.linus, role: 'MEMBER' },
      { userId: people.margaret, role: 'VIEWER' },
    ],
    projects: [
      { name: 'Storefront', configuration: { webhookUrl: 'https://storefront.acme.example/webhooks', allowedOrigins: ['https://acme.example'] } },
      { name: 'Mobile App', configuration: { bundleId: 'example.acme.mobile', pushNotifications: true } },
      { name: 'Internal Tools', configuration: { ssoRequired: true } },
    ],
    // The demo people's addresses are at acme.example.
    verifiedDomains: ['acme.example'],
  });
  await seedInvitation(db, acme.id, people.ada);
  const globex = await seedOrganization(db, {
    slug: 'globex',
    name: 'Globex',
    members: [
      { userId: people.grace, role: 'OWNER' },
      { userId: people.ada, role: 'ADMIN' },
    ],
    projects: [{ name: 'Analytics', configuration: { retentionDays: 90 } }],
  });
  return [acme, globex];
}

/** The address Acme's pending demo invitation is sent to: no account has it, so signing up with it shows the flow. */
export const DEMO_INVITEE = 'hedy@acme.example';

/**
 * Ada invites Hedy to Acme as a MEMBER, through the service (so the invitation email is queued as any other), unless
 * an invitation to her exists already. The link is in the email the organizations service prints or sends.
 */
async function seedInvitation(db: DataSource, organizationId: string, ada: string): Promise<void> {
  const [existing] = await db.query('SELECT 1 FROM invitations WHERE organization_id = $1 AND email = $2', [organizationId, DEMO_INVITEE]);
  if (existing) return;
  const quotas = quotasOf(z.object(quotaEnv).parse(process.env));
  // Hedy has no account in the demo, so no one with her address can be a member already.
  const invitations = new InvitationService(db, new MembershipService(db, quotas), async () => [], { appUrl: mailEnv.APP_URL.parse(process.env.APP_URL), quotas });
  const actor = { type: 'USER' as const, id: ada, userId: ada, ipAddress: null, requestId: null };
  await invitations.invite(actor, 'ada@acme.example', organizationId, { role: 'MEMBER' }, { email: DEMO_INVITEE });
}
