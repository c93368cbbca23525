// Claiming, proving (by a DNS TXT record) and giving up an organization's email domains, under the organization's lock. Knows nothing of GraphQL.
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError, conflict, ErrorCode, forbidden, isUniqueViolation, newId, notFound, parseInput, type Permission, type Queryable, type Role } from '@orgapi/shared';
import type { CallerActor } from '../audit/actor';
import { recordAudit } from '../audit/audit.service';
import { memberUnderLock } from '../memberships/membership.service';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import { countOf, lockOrganization, quotaExceeded } from '../quotas';
import { NO_RECORD, type DomainResolver } from './dns';
import { addDomainInput } from './domain.input';
import { DOMAIN_COLUMNS, toDomain } from './domain.loader';
import { challengeName, challengeValue, domainName } from './domain-name';
import type { Domain } from './domain.type';

/** What verifyDomain found in DNS, when it was not the record asked for: `extensions.reason` of its CONFLICT. */
export type VerificationFailure = 'record_not_found' | 'record_mismatch' | 'lookup_failed';

const verificationFailed = (reason: VerificationFailure | 'verified_elsewhere', message: string) => new AppError(ErrorCode.CONFLICT, message, { field: 'domainId', reason });

const VERIFIED_ELSEWHERE = (domain: string) =>
  `\`${domain}\` is verified by another organization. If your company owns it, ask that organization's owners to remove it, then verify it here.`;

/** The permission that manages domains: claiming one changes who may find the organization, as a setting does. */
export const MANAGES_DOMAINS: Permission = 'organization:update';

/**
 * The organizations a user with a verified address at `domain` is to be invited to when they sign up or verify it:
 * those that verified the domain and enroll by AUTOMATIC_INVITATION, not deleted. For the invitations' side (the
 * lead's), in the caller's transaction.
 */
export async function organizationsInvitingByDomain(tx: Queryable, domain: string): Promise<{ organizationId: string; defaultRole: Role }[]> {
  const rows: { id: string; default_role: Role }[] = await tx.query(
    `SELECT o.id, o.default_role FROM domains d JOIN organizations o ON o.id = d.organization_id
      WHERE d.domain = $1 AND d.status = 'VERIFIED' AND o.deleted_at IS NULL AND o.enrollment_mode = 'AUTOMATIC_INVITATION'`,
    [domain],
  );
  return rows.map((row) => ({ organizationId: row.id, defaultRole: row.default_role }));
}

/**
 * A deleted organization's verified domains no longer hold the name for it: dropped, so the partial unique index lets
 * a live organization verify it. (A deleted organization's rows are otherwise kept.)
 */
async function releaseFromDeleted(tx: EntityManager, domain: string): Promise<void> {
  await tx.query(`DELETE FROM domains WHERE domain = $1 AND status = 'VERIFIED' AND organization_id IN (SELECT id FROM organizations WHERE deleted_at IS NOT NULL)`, [domain]);
}

async function verifiedElsewhere(tx: EntityManager, domain: string, organizationId: string): Promise<boolean> {
  const [row] = await tx.query(`SELECT 1 FROM domains WHERE domain = $1 AND status = 'VERIFIED' AND organization_id <> $2`, [domain, organizationId]);
  return row !== undefined;
}

export class DomainService {
  constructor(
    private readonly db: DataSource,
    private readonly resolver: DomainResolver,
    private readonly domainsPerOrganization: number,
  ) {}

  /** Claims a domain for the organization (the caller checked organization:update) with a new verification token. */
  async add(actor: CallerActor, organizationId: string, input: unknown): Promise<Domain> {
    const named = domainName(parseInput(addDomainInput, input).domain);
    if ('problem' in named) throw new AppError(ErrorCode.BAD_USER_INPUT, named.message, { field: 'domain', reason: named.problem });
    const { domain } = named;
    const limit = this.domainsPerOrganization;
    try {
      return await this.db.transaction(async (tx) => {
        await lockOrganization(tx, organizationId);
        await this.checkCaller(tx, actor, organizationId, 'Organization');
        await releaseFromDeleted(tx, domain);
        if (await verifiedElsewhere(tx, domain, organizationId)) throw conflict(VERIFIED_ELSEWHERE(domain), 'domain');
        if ((await countOf(tx, 'domains', 'organization_id', organizationId)) >= limit) {
          throw quotaExceeded(`This organization has ${limit} domains, the most one organization may have. Remove one it no longer uses first.`, limit);
        }
        const [row] = await tx.query(`INSERT INTO domains (id, organization_id, domain, verification_token) VALUES ($1, $2, $3, $4) RETURNING ${DOMAIN_COLUMNS}`, [
          newId('dom'),
          organizationId,
          domain,
          randomBytes(24).toString('base64url'),
        ]);
        const added = toDomain(row);
        await recordAudit(tx, actor, { organizationId, action: 'domain.added', target: { type: 'domain', id: added.id }, after: { domain, status: added.status } });
        return added;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'domains_organization_id_domain_key')) throw conflict(`This organization has already claimed \`${domain}\`.`, 'domain');
      throw error;
    }
  }

  /**
   * Looks up the domain's TXT record and, when it holds the token, marks the domain VERIFIED. DNS is asked before the
   * transaction (no lock is held across the network); the transaction then checks again under the organization's
   * lock, and the partial unique index makes one of two organizations verifying the same domain at once the winner.
   */
  async verify(actor: CallerActor, domainId: string): Promise<Domain> {
    const claimed = await this.readLive(this.db.manager, domainId);
    if (claimed.status === 'VERIFIED') return claimed;
    await this.proveControl(claimed);
    try {
      return await this.db.transaction(async (tx) => {
        const current = await this.lockDomain(tx, domainId);
        await this.checkCaller(tx, actor, current.organizationId);
        if (current.status === 'VERIFIED') return current;
        await releaseFromDeleted(tx, current.domain);
        if (await verifiedElsewhere(tx, current.domain, current.organizationId)) throw verificationFailed('verified_elsewhere', VERIFIED_ELSEWHERE(current.domain));
        // TypeORM answers an UPDATE with [rows, count]: read the row back instead.
        await tx.query(`UPDATE domains SET status = 'VERIFIED', verified_at = now() WHERE id = $1`, [domainId]);
        const verified = await this.readLive(tx, domainId);
        await recordAudit(tx, actor, {
          organizationId: verified.organizationId,
          action: 'domain.verified',
          target: { type: 'domain', id: verified.id },
          before: { domain: verified.domain, status: 'PENDING' },
          after: { domain: verified.domain, status: 'VERIFIED' },
        });
        return verified;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'domains_verified_domain_key')) throw verificationFailed('verified_elsewhere', VERIFIED_ELSEWHERE(claimed.domain));
      throw error;
    }
  }

  /** Gives up a domain, pending or verified: people at it no longer find the organization through it. */
  async remove(actor: CallerActor, domainId: string): Promise<Domain> {
    return this.db.transaction(async (tx) => {
      const domain = await this.lockDomain(tx, domainId);
      await this.checkCaller(tx, actor, domain.organizationId);
      await tx.query('DELETE FROM domains WHERE id = $1', [domainId]);
      await recordAudit(tx, actor, {
        organizationId: domain.organizationId,
        action: 'domain.removed',
        target: { type: 'domain', id: domain.id },
        before: { domain: domain.domain, status: domain.status },
      });
      return domain;
    });
  }

  /** Throws the CONFLICT that says what DNS holds at the challenge name, unless it holds the domain's record. */
  private async proveControl(domain: Domain): Promise<void> {
    const name = challengeName(domain.domain);
    const expected = challengeValue(domain.verificationToken);
    let records: string[][];
    try {
      records = await this.resolver.resolveTxt(name);
    } catch (error) {
      if (NO_RECORD.has((error as NodeJS.ErrnoException).code ?? '')) records = [];
      else throw verificationFailed('lookup_failed', `DNS could not be asked about \`${name}\` just now (${(error as NodeJS.ErrnoException).code ?? 'no answer'}). Try again in a minute.`);
    }
    // A TXT record longer than 255 characters comes in several strings: they are one value.
    const values = records.map((chunks) => chunks.join(''));
    if (values.includes(expected)) return;
    if (values.length === 0) {
      throw verificationFailed('record_not_found', `No TXT record was found at \`${name}\`. Create one with the value \`${expected}\`, wait for DNS to publish it, then verify again.`);
    }
    throw verificationFailed('record_mismatch', `The TXT records at \`${name}\` do not hold \`${expected}\`. Check the value for typos, then verify again.`);
  }

  private async readLive(db: Queryable, domainId: string): Promise<Domain> {
    const [row] = await db.query(`SELECT ${DOMAIN_COLUMNS} FROM domains WHERE id = $1 AND ${IN_LIVE_ORGANIZATION}`, [domainId]);
    if (!row) throw notFound('Domain');
    return toDomain(row);
  }

  /** Locks the domain's organization, then reads the domain as it is under that lock. */
  private async lockDomain(tx: EntityManager, domainId: string): Promise<Domain> {
    const located = await this.readLive(tx, domainId);
    await lockOrganization(tx, located.organizationId);
    return this.readLive(tx, domainId);
  }

  /** The caller's permission as it is under the organization's lock: one demoted a moment ago no longer manages domains. */
  private async checkCaller(tx: EntityManager, actor: CallerActor, organizationId: string, reached: 'Organization' | 'Domain' = 'Domain'): Promise<void> {
    const caller = await memberUnderLock(tx, organizationId, actor.userId);
    if (!caller) throw notFound(reached);
    if (!caller.permissions.includes(MANAGES_DOMAINS)) throw forbidden(`Your role does not allow ${MANAGES_DOMAINS} in this organization.`);
  }
}
