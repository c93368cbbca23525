// Inviting people to an organization, resending and revoking invitations, and the invitee accepting or declining.
// Every change runs under the organization's lock, with its audit event and email in the same transaction. Knows
// nothing of GraphQL.
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  appLink,
  AppError,
  badInput,
  conflict,
  ErrorCode,
  forbidden,
  hashSecret,
  isUniqueViolation,
  newId,
  notFound,
  parseInput,
  permissionsOf,
  queueEmail,
  type Permission,
  type Principal,
} from '@orgapi/shared';
import { SYSTEM_ACTOR, type CallerActor } from '../audit/actor';
import { recordAudit } from '../audit/audit.service';
import { organizationsInvitingByDomain } from '../domains/domain.service';
import { checkMayChange, memberUnderLock, roleAssignment, type Assignment, type MembershipService, type RoleRequest } from '../memberships/membership.service';
import type { Membership } from '../memberships/membership.type';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import { lockOrganization, quotaExceeded, type Quotas } from '../quotas';
import { effectivePermissions } from '../roles/role-rules';
import { invitationEmail } from './invitation.email';
import { invitationTokenInput, inviteMemberInput } from './invitation.input';
import { INVITATION_COLUMNS, toInvitation } from './invitation.loader';
import type { Invitation } from './invitation.type';
import type { UserLookup } from './user-lookup';

/** The frontend page an invitation link opens (APP_URL/invitations/accept?token=…); it calls acceptInvitation. */
export const INVITATION_ACCEPT_PATH = '/invitations/accept';

/** Why a presented invitation token is refused, as `extensions.reason`. */
export type InvitationRefusal = 'not_found' | 'expired' | 'revoked' | 'already_used' | 'email_mismatch' | 'email_unverified' | 'already_member';

const REFUSALS: Record<InvitationRefusal, { code: ErrorCode; message: string }> = {
  not_found: { code: ErrorCode.NOT_FOUND, message: 'This invitation link is not valid: check that you copied all of it, or ask for a new invitation.' },
  expired: { code: ErrorCode.BAD_USER_INPUT, message: 'This invitation has expired. Ask an admin of the organization to send it again.' },
  revoked: { code: ErrorCode.BAD_USER_INPUT, message: 'This invitation was revoked or replaced by a newer one. Use the link in the latest invitation email.' },
  already_used: { code: ErrorCode.BAD_USER_INPUT, message: 'This invitation has already been answered.' },
  email_mismatch: { code: ErrorCode.FORBIDDEN, message: 'This invitation was sent to another email address. Sign in with the address it was sent to.' },
  email_unverified: { code: ErrorCode.FORBIDDEN, message: 'Confirm your email address first (requestEmailVerification), then open the invitation link again.' },
  already_member: { code: ErrorCode.CONFLICT, message: 'You are a member of this organization already.' },
};

/** A refused invitation token: a distinct `reason`, the field `token`. */
export const invitationRefused = (reason: InvitationRefusal) => new AppError(REFUSALS[reason].code, REFUSALS[reason].message, { reason, field: 'token' });

/** An invitation just sent, with the link its email carries (shown once). */
export interface SentInvitation {
  invitation: Invitation;
  acceptUrl: string;
}

interface InvitationSettings {
  appUrl: string;
  quotas: Pick<Quotas, 'membersPerOrganization' | 'pendingInvitationsPerOrganization'>;
}

/** The organization as an invitation needs it, read under its lock; null once deleted. */
interface InvitingOrganization {
  name: string;
  invitationExpiryDays: number;
  allowedEmailDomains: string[];
}

const newToken = () => randomBytes(32).toString('base64url');

/** The row an UPDATE … RETURNING changed: TypeORM answers an UPDATE with [rows, count]. */
async function updatedRow(tx: EntityManager, sql: string, parameters: unknown[]): Promise<Record<string, unknown>> {
  const [rows] = (await tx.query(sql, parameters)) as [Record<string, unknown>[], number];
  return rows[0];
}

export class InvitationService {
  constructor(
    private readonly db: DataSource,
    private readonly memberships: MembershipService,
    private readonly lookup: UserLookup,
    private readonly settings: InvitationSettings,
  ) {}

  /**
   * Invites `email` with the role `request` names (the caller, whose address is `inviterEmail`, was checked for
   * members:manage by the resolver and is checked again under the lock). A pending invitation to the same address
   * is replaced: its link dies.
   */
  async invite(actor: CallerActor, inviterEmail: string, organizationId: string, request: RoleRequest, input: { email: unknown }): Promise<SentInvitation> {
    const { email } = parseInput(inviteMemberInput, input);
    // Identity holds accounts: which users have this address, asked before the lock so no lock waits on a call.
    const userIds = (await this.lookup([email])).map((user) => user.id);
    try {
      return await this.db.transaction(async (tx) => {
        await lockOrganization(tx, organizationId);
        const organization = await this.organization(tx, organizationId);
        const held = await this.manager(tx, actor, organizationId, 'Organization');
        const assignment = await roleAssignment(tx, organizationId, request);
        checkMayChange(held, assignment.role, { assign: assignment });
        const domain = email.slice(email.lastIndexOf('@') + 1);
        if (organization.allowedEmailDomains.length > 0 && !organization.allowedEmailDomains.includes(domain)) {
          throw badInput(`This organization only invites addresses at ${organization.allowedEmailDomains.join(', ')} (its allowedEmailDomains setting).`, 'email');
        }
        if (userIds.length > 0) {
          const [member] = await tx.query(`SELECT 1 FROM memberships WHERE organization_id = $1 AND user_id = ANY($2)`, [organizationId, userIds]);
          if (member) throw conflict(`The address ${email} belongs to a member of this organization already.`, 'email');
        }
        const [previous] = await tx.query(`SELECT id FROM invitations WHERE organization_id = $1 AND email = $2 AND status = 'PENDING' FOR UPDATE`, [organizationId, email]);
        await this.checkQuotas(tx, organizationId, (previous?.id as string | undefined) ?? null);
        if (previous) await tx.query(`UPDATE invitations SET status = 'REVOKED', updated_at = now() WHERE id = $1`, [previous.id]);
        const token = newToken();
        const [row] = await tx.query(
          `INSERT INTO invitations (id, organization_id, email, role, custom_role_id, token_hash, invited_by, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(days => $8)) RETURNING ${INVITATION_COLUMNS}`,
          [newId('inv'), organizationId, email, assignment.role, assignment.customRoleId, hashSecret(token), actor.userId, organization.invitationExpiryDays],
        );
        const invitation = toInvitation(row);
        const acceptUrl = await this.send(tx, invitation, assignment.label, organization, inviterEmail, token);
        await recordAudit(tx, actor, {
          organizationId,
          action: 'invitation.created',
          target: { type: 'invitation', id: invitation.id },
          before: previous ? { replacedInvitationId: previous.id as string } : null,
          after: { email, ...roleSummary(assignment), expiresAt: invitation.expiresAt },
        });
        return { invitation, acceptUrl };
      });
    } catch (error) {
      // The organization's lock serialises invitations, so this is a safety net, not a path we expect.
      if (isUniqueViolation(error, 'invitations_pending_key')) throw conflict(`Another invitation to ${email} was sent at the same moment. Try again.`, 'email');
      throw error;
    }
  }

  /**
   * AUTOMATIC_INVITATION: invites a user who has just verified `email` to every organization that verified the
   * address's domain and enrolls that way, with the organization's default role, and queues the email. Events arrive
   * at least once, so this is idempotent: an organization the user belongs to, or where the address has a pending
   * invitation or declined one, is skipped; so is one whose allowed domains or quotas leave no room. Each organization
   * in its own transaction, under its lock, as inviteMember. Returns how many invitations it sent.
   */
  async inviteByDomain(userId: string, email: string): Promise<number> {
    const { email: address } = parseInput(inviteMemberInput, { email });
    const domain = address.slice(address.lastIndexOf('@') + 1);
    let sent = 0;
    for (const { organizationId, defaultRole } of await organizationsInvitingByDomain(this.db, domain)) {
      const invited = await this.db.transaction(async (tx) => {
        await lockOrganization(tx, organizationId);
        const [row] = await tx.query('SELECT name, invitation_expiry_days, allowed_email_domains FROM organizations WHERE id = $1 AND deleted_at IS NULL', [organizationId]);
        if (!row) return false;
        const organization: InvitingOrganization = { name: row.name, invitationExpiryDays: row.invitation_expiry_days, allowedEmailDomains: row.allowed_email_domains };
        if (organization.allowedEmailDomains.length > 0 && !organization.allowedEmailDomains.includes(domain)) return false;
        const [member] = await tx.query('SELECT 1 FROM memberships WHERE organization_id = $1 AND user_id = $2', [organizationId, userId]);
        if (member) return false;
        const [answered] = await tx.query(
          `SELECT 1 FROM invitations WHERE organization_id = $1 AND email = $2 AND (status = 'DECLINED' OR (status = 'PENDING' AND expires_at > now()))`,
          [organizationId, address],
        );
        if (answered) return false;
        try {
          await this.checkQuotas(tx, organizationId, null);
        } catch (error) {
          if (error instanceof AppError && error.extensions.code === ErrorCode.QUOTA_EXCEEDED) return false;
          throw error;
        }
        // An expired pending invitation to the address gives way to the new one.
        await tx.query(`UPDATE invitations SET status = 'REVOKED', updated_at = now() WHERE organization_id = $1 AND email = $2 AND status = 'PENDING'`, [organizationId, address]);
        const token = newToken();
        const [inserted] = await tx.query(
          `INSERT INTO invitations (id, organization_id, email, role, custom_role_id, token_hash, invited_by, expires_at)
           VALUES ($1, $2, $3, $4, NULL, $5, NULL, now() + make_interval(days => $6)) RETURNING ${INVITATION_COLUMNS}`,
          [newId('inv'), organizationId, address, defaultRole, hashSecret(token), organization.invitationExpiryDays],
        );
        const invitation = toInvitation(inserted);
        await this.send(tx, invitation, defaultRole, organization, `${organization.name}, which verified ${domain},`, token);
        await recordAudit(tx, SYSTEM_ACTOR, {
          organizationId,
          action: 'invitation.created',
          target: { type: 'invitation', id: invitation.id },
          after: { email: address, role: defaultRole, automatic: true, domain, expiresAt: invitation.expiresAt },
        });
        return true;
      });
      if (invited) sent += 1;
    }
    return sent;
  }

  /** Sends a pending (or expired) invitation again: a new link and a new expiry; the previous link dies. */
  async resend(actor: CallerActor, inviterEmail: string, invitationId: string): Promise<SentInvitation> {
    return this.db.transaction(async (tx) => {
      const { invitation, organization, assignment } = await this.managedInvitation(tx, actor, invitationId, 'resent');
      const token = newToken();
      const row = await updatedRow(
        tx,
        `UPDATE invitations SET token_hash = $2, expires_at = now() + make_interval(days => $3), updated_at = now() WHERE id = $1 RETURNING ${INVITATION_COLUMNS}`,
        [invitation.id, hashSecret(token), organization.invitationExpiryDays],
      );
      const resent = toInvitation(row);
      const acceptUrl = await this.send(tx, resent, assignment.label, organization, inviterEmail, token);
      await recordAudit(tx, actor, {
        organizationId: invitation.organizationId,
        action: 'invitation.resent',
        target: { type: 'invitation', id: invitation.id },
        before: { expiresAt: invitation.expiresAt },
        after: { email: invitation.email, expiresAt: resent.expiresAt },
      });
      return { invitation: resent, acceptUrl };
    });
  }

  /** Revokes a pending (or expired) invitation: its link stops working at once. */
  async revoke(actor: CallerActor, invitationId: string): Promise<Invitation> {
    return this.db.transaction(async (tx) => {
      const { invitation, assignment } = await this.managedInvitation(tx, actor, invitationId, 'revoked');
      const row = await updatedRow(tx, `UPDATE invitations SET status = 'REVOKED', updated_at = now() WHERE id = $1 RETURNING ${INVITATION_COLUMNS}`, [invitation.id]);
      await recordAudit(tx, actor, {
        organizationId: invitation.organizationId,
        action: 'invitation.revoked',
        target: { type: 'invitation', id: invitation.id },
        before: { email: invitation.email, ...roleSummary(assignment), status: invitation.status },
        after: { status: 'REVOKED' },
      });
      return toInvitation(row);
    });
  }

  /**
   * Accepts an invitation by its token, as `principal`: they become a member with its role. Under the organization's
   * lock, so of two acceptances of one token at the same moment exactly one wins; the other finds it used. Every
   * refusal changes nothing and carries its `reason`.
   */
  async accept(actor: CallerActor, principal: Principal, input: unknown): Promise<Membership> {
    return this.db.transaction(async (tx) => {
      const invitation = await this.presented(tx, principal, input);
      if (await memberUnderLock(tx, invitation.organizationId, principal.userId)) throw invitationRefused('already_member');
      const membershipId = await this.memberships.add(tx, invitation.organizationId, principal.userId, invitation.role, invitation.customRoleId);
      await tx.query(`UPDATE invitations SET status = 'ACCEPTED', responded_at = now(), responded_by = $2, updated_at = now() WHERE id = $1`, [invitation.id, principal.userId]);
      const membership = (await memberUnderLock(tx, invitation.organizationId, principal.userId))!;
      const role = invitation.customRoleId ? { role: invitation.role, customRoleId: invitation.customRoleId } : { role: invitation.role };
      await recordAudit(tx, actor, {
        organizationId: invitation.organizationId,
        action: 'invitation.accepted',
        target: { type: 'invitation', id: invitation.id },
        before: { status: 'PENDING' },
        after: { status: 'ACCEPTED', email: invitation.email, membershipId },
      });
      await recordAudit(tx, actor, {
        organizationId: invitation.organizationId,
        action: 'member.added',
        target: { type: 'membership', id: membershipId },
        after: { userId: principal.userId, ...role, invitationId: invitation.id },
      });
      return membership;
    });
  }

  /** Declines an invitation by its token, as the invitee (their verified address must be the one invited). */
  async decline(actor: CallerActor, principal: Principal, input: unknown): Promise<Invitation> {
    return this.db.transaction(async (tx) => {
      const invitation = await this.presented(tx, principal, input);
      const row = await updatedRow(
        tx,
        `UPDATE invitations SET status = 'DECLINED', responded_at = now(), responded_by = $2, updated_at = now() WHERE id = $1 RETURNING ${INVITATION_COLUMNS}`,
        [invitation.id, principal.userId],
      );
      await recordAudit(tx, actor, {
        organizationId: invitation.organizationId,
        action: 'invitation.declined',
        target: { type: 'invitation', id: invitation.id },
        before: { status: 'PENDING' },
        after: { status: 'DECLINED', email: invitation.email },
      });
      return toInvitation(row);
    });
  }

  /**
   * The pending invitation a token names, read under its organization's lock, that `principal` may answer; refused
   * with its reason otherwise. A deleted organization's invitations name nothing any more.
   */
  private async presented(tx: EntityManager, principal: Principal, input: unknown): Promise<Invitation> {
    const { token } = parseInput(invitationTokenInput, input);
    const hash = hashSecret(token);
    const [located] = await tx.query(`SELECT organization_id FROM invitations WHERE token_hash = $1 AND ${IN_LIVE_ORGANIZATION}`, [hash]);
    if (!located) throw invitationRefused('not_found');
    await lockOrganization(tx, located.organization_id as string);
    const [row] = await tx.query(`SELECT ${INVITATION_COLUMNS}, status FROM invitations WHERE token_hash = $1 AND ${IN_LIVE_ORGANIZATION}`, [hash]);
    if (!row) throw invitationRefused('not_found');
    const status = row.status as string;
    if (status === 'REVOKED') throw invitationRefused('revoked');
    if (status === 'ACCEPTED' || status === 'DECLINED') throw invitationRefused('already_used');
    const invitation = toInvitation(row);
    if (invitation.status === 'EXPIRED') throw invitationRefused('expired');
    if (principal.email.toLowerCase() !== invitation.email) throw invitationRefused('email_mismatch');
    if (!principal.emailVerified) throw invitationRefused('email_unverified');
    return invitation;
  }

  /**
   * A pending (or expired) invitation the caller may resend or revoke, under its organization's lock: members:manage,
   * and (as for inviting) owners:manage for an OWNER invitation and every permission of the role it offers.
   */
  private async managedInvitation(tx: EntityManager, actor: CallerActor, invitationId: string, done: 'resent' | 'revoked') {
    const [located] = await tx.query(`SELECT organization_id FROM invitations WHERE id = $1 AND ${IN_LIVE_ORGANIZATION}`, [invitationId]);
    if (!located) throw notFound('Invitation');
    const organizationId = located.organization_id as string;
    await lockOrganization(tx, organizationId);
    const organization = await this.organization(tx, organizationId);
    const held = await this.manager(tx, actor, organizationId, 'Invitation');
    const [row] = await tx.query(`SELECT ${INVITATION_COLUMNS}, status FROM invitations WHERE id = $1`, [invitationId]);
    if (!row) throw notFound('Invitation');
    const invitation = toInvitation(row);
    if (row.status !== 'PENDING') {
      throw conflict(`This invitation is ${invitation.status}: only a pending or expired invitation can be ${done}. Invite the address again instead.`, 'invitationId');
    }
    const assignment = await this.offered(tx, invitation);
    checkMayChange(held, assignment.role, { assign: assignment });
    return { invitation, organization, assignment };
  }

  /** The role an invitation offers, with its permissions as they are now. */
  private async offered(tx: EntityManager, invitation: Invitation): Promise<Assignment> {
    if (invitation.role !== 'CUSTOM') return { role: invitation.role, customRoleId: null, permissions: permissionsOf(invitation.role), label: invitation.role };
    const [role] = await tx.query('SELECT key, permissions FROM roles WHERE id = $1', [invitation.customRoleId]);
    return { role: 'CUSTOM', customRoleId: invitation.customRoleId, permissions: effectivePermissions('CUSTOM', role?.permissions as string[] | undefined), label: (role?.key as string) ?? 'CUSTOM' };
  }

  /** The caller's permissions under the lock, which must include members:manage; a non-member gets NOT_FOUND (`reached`). */
  private async manager(tx: EntityManager, actor: CallerActor, organizationId: string, reached: string): Promise<{ label: string; permissions: readonly Permission[] }> {
    const caller = await memberUnderLock(tx, organizationId, actor.userId);
    if (!caller) throw notFound(reached);
    const label = caller.role === 'CUSTOM' ? 'custom role' : caller.role;
    if (!caller.permissions.includes('members:manage')) throw forbidden(`Your role (${label}) does not allow members:manage in this organization.`);
    return { label, permissions: caller.permissions };
  }

  private async organization(tx: EntityManager, organizationId: string): Promise<InvitingOrganization> {
    const [row] = await tx.query('SELECT name, invitation_expiry_days, allowed_email_domains FROM organizations WHERE id = $1 AND deleted_at IS NULL', [organizationId]);
    if (!row) throw notFound('Organization');
    return { name: row.name as string, invitationExpiryDays: row.invitation_expiry_days as number, allowedEmailDomains: row.allowed_email_domains as string[] };
  }

  /**
   * Pending invitations per organization, and members plus pending invitations against the members quota (each may
   * become a member), not counting `replacing`, the invitation a new one replaces.
   */
  private async checkQuotas(tx: EntityManager, organizationId: string, replacing: string | null): Promise<void> {
    const { pendingInvitationsPerOrganization: pendingLimit, membersPerOrganization: membersLimit } = this.settings.quotas;
    const [{ pending, members }] = await tx.query(
      `SELECT (SELECT count(*)::int FROM invitations WHERE organization_id = $1 AND status = 'PENDING' AND expires_at > now() AND id IS DISTINCT FROM $2) AS pending,
              (SELECT count(*)::int FROM memberships WHERE organization_id = $1) AS members`,
      [organizationId, replacing],
    );
    if (pending >= pendingLimit) {
      throw quotaExceeded(
        `This organization has ${pendingLimit.toLocaleString('en-US')} pending invitations, the most one organization may. Revoke some, or wait for them to be answered, first.`,
        pendingLimit,
      );
    }
    if (members + pending >= membersLimit) {
      throw quotaExceeded(
        `This organization has ${count(members, 'member')} and ${count(pending, 'pending invitation')}: it may have ${membersLimit.toLocaleString('en-US')} members in all, so revoke an invitation or remove a member first.`,
        membersLimit,
      );
    }
  }

  /** Queues the invitation email in `tx` and returns the link it carries. */
  private async send(tx: EntityManager, invitation: Invitation, roleLabel: string, organization: InvitingOrganization, inviterEmail: string, token: string): Promise<string> {
    const acceptUrl = appLink(this.settings.appUrl, INVITATION_ACCEPT_PATH, { token });
    const ttlSeconds = organization.invitationExpiryDays * 86_400;
    await queueEmail(tx, 'invitation', invitationEmail({ email: invitation.email, role: roleLabel }, organization, inviterEmail || 'An admin', { url: acceptUrl, ttlSeconds }));
    return acceptUrl;
  }
}

const count = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

/** How an audit event names the role an invitation offers. */
function roleSummary(assignment: Assignment): Record<string, unknown> {
  return assignment.customRoleId ? { role: assignment.role, customRole: { id: assignment.customRoleId, key: assignment.label } } : { role: assignment.role };
}
