// Requests to join an organization suggested by its verified domain, and their approval, decline or withdrawal, under the organization's lock. Knows nothing of GraphQL.
import type { DataSource, EntityManager } from 'typeorm';
import { AppError, conflict, ErrorCode, forbidden, isUniqueViolation, newId, notFound, permissionsOf, type Role } from '@orgapi/shared';
import type { CallerActor } from '../audit/actor';
import { recordAudit } from '../audit/audit.service';
import { emailDomainOf } from '../domains/domain-name';
import { checkMayChange, memberUnderLock, type MembershipService } from '../memberships/membership.service';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import { lockOrganization } from '../quotas';
import { JOIN_REQUEST_COLUMNS, SUGGESTED, toJoinRequest } from './join-request.loader';
import type { JoinRequest, JoinRequestStatus } from './join-request.type';

/** The requester as their credential presents them. */
export interface Requester {
  email: string;
  emailVerified: boolean;
}

const notPending = (request: JoinRequest) =>
  new AppError(ErrorCode.CONFLICT, `This join request is ${request.status.toLowerCase()} already: only a pending one can be decided or withdrawn.`, {
    field: 'joinRequestId',
    reason: `already_${request.status.toLowerCase()}`,
  });

export class JoinRequestService {
  constructor(
    private readonly db: DataSource,
    private readonly memberships: MembershipService,
  ) {}

  /**
   * Asks to join an organization suggested to the caller: NOT_FOUND for any other, exactly as for one that does not
   * exist. Asking again while a request is pending answers that request.
   */
  async request(actor: CallerActor, requester: Requester, organizationId: string): Promise<JoinRequest> {
    const domain = requester.emailVerified ? emailDomainOf(requester.email) : null;
    if (!domain) throw notFound('Organization');
    try {
      return await this.db.transaction(async (tx) => {
        await lockOrganization(tx, organizationId);
        if (await memberUnderLock(tx, organizationId, actor.userId)) {
          throw new AppError(ErrorCode.CONFLICT, 'You are a member of this organization already.', { field: 'organizationId', reason: 'already_member' });
        }
        const [suggested] = await tx.query(`${SUGGESTED} AND o.id = $3`, [[domain], actor.userId, organizationId]);
        if (!suggested) throw notFound('Organization');
        const [pending] = await tx.query(`SELECT ${JOIN_REQUEST_COLUMNS} FROM join_requests WHERE organization_id = $1 AND user_id = $2 AND status = 'PENDING'`, [organizationId, actor.userId]);
        if (pending) return toJoinRequest(pending);
        const [row] = await tx.query(`INSERT INTO join_requests (id, organization_id, user_id, email) VALUES ($1, $2, $3, $4) RETURNING ${JOIN_REQUEST_COLUMNS}`, [
          newId('jrq'),
          organizationId,
          actor.userId,
          requester.email,
        ]);
        const created = toJoinRequest(row);
        await recordAudit(tx, actor, { organizationId, action: 'join_request.created', target: { type: 'join_request', id: created.id }, after: { userId: actor.userId, email: created.email, domain } });
        return created;
      });
    } catch (error) {
      // The organization's lock serializes requests, so this is a safety net, not a path.
      if (isUniqueViolation(error, 'join_requests_pending_key')) throw conflict('You have asked to join this organization already.', 'organizationId');
      throw error;
    }
  }

  /**
   * Makes the requester a member with `role` (the organization's default role when null), through the one way into
   * an organization (its quotas hold), following who-may-give-which-role. Of two approvals at once, the second finds
   * the request approved (CONFLICT): one membership.
   */
  approve(actor: CallerActor, joinRequestId: string, role: Role | null): Promise<JoinRequest> {
    return this.db.transaction(async (tx) => {
      const request = await this.lockPending(tx, joinRequestId);
      const caller = await this.checkManager(tx, actor, request.organizationId);
      const [organization] = await tx.query('SELECT default_role FROM organizations WHERE id = $1', [request.organizationId]);
      const given: Role = role ?? (organization.default_role as Role);
      checkMayChange(
        { label: caller.role === 'CUSTOM' ? 'custom role' : caller.role, permissions: caller.permissions },
        given,
        { assign: { role: given, customRoleId: null, permissions: permissionsOf(given), label: given } },
      );
      if (await memberUnderLock(tx, request.organizationId, request.userId)) {
        throw new AppError(ErrorCode.CONFLICT, 'The requester is a member already (invited meanwhile): decline the request instead.', { field: 'joinRequestId', reason: 'already_member' });
      }
      await this.memberships.add(tx, request.organizationId, request.userId, given);
      const approved = await this.decide(tx, actor, request, 'APPROVED');
      await recordAudit(tx, actor, {
        organizationId: request.organizationId,
        action: 'join_request.approved',
        target: { type: 'join_request', id: request.id },
        before: { status: 'PENDING' },
        after: { status: 'APPROVED', userId: request.userId, email: request.email, role: given },
      });
      return approved;
    });
  }

  /** Declines a pending request; the requester may ask again. */
  decline(actor: CallerActor, joinRequestId: string): Promise<JoinRequest> {
    return this.db.transaction(async (tx) => {
      const request = await this.lockPending(tx, joinRequestId);
      await this.checkManager(tx, actor, request.organizationId);
      const declined = await this.decide(tx, actor, request, 'DECLINED');
      await recordAudit(tx, actor, {
        organizationId: request.organizationId,
        action: 'join_request.declined',
        target: { type: 'join_request', id: request.id },
        before: { status: 'PENDING' },
        after: { status: 'DECLINED', userId: request.userId, email: request.email },
      });
      return declined;
    });
  }

  /** Withdraws the caller's own pending request: NOT_FOUND for anyone else's. */
  cancel(actor: CallerActor, joinRequestId: string): Promise<JoinRequest> {
    return this.db.transaction(async (tx) => {
      const request = await this.lockPending(tx, joinRequestId, actor.userId);
      const cancelled = await this.decide(tx, actor, request, 'CANCELLED');
      await recordAudit(tx, actor, {
        organizationId: request.organizationId,
        action: 'join_request.cancelled',
        target: { type: 'join_request', id: request.id },
        before: { status: 'PENDING' },
        after: { status: 'CANCELLED', userId: request.userId, email: request.email },
      });
      return cancelled;
    });
  }

  private async decide(tx: EntityManager, actor: CallerActor, request: JoinRequest, status: JoinRequestStatus): Promise<JoinRequest> {
    // TypeORM answers an UPDATE with [rows, count]: read the row back instead.
    await tx.query('UPDATE join_requests SET status = $2, decided_at = now(), decided_by = $3 WHERE id = $1', [request.id, status, actor.userId]);
    const [row] = await tx.query(`SELECT ${JOIN_REQUEST_COLUMNS} FROM join_requests WHERE id = $1`, [request.id]);
    return toJoinRequest(row);
  }

  /** Locks the request's organization, then reads the request under that lock: CONFLICT unless still pending. `userId` limits it to one requester's. */
  private async lockPending(tx: EntityManager, joinRequestId: string, userId?: string): Promise<JoinRequest> {
    const read = async () => {
      const [row] = await tx.query(`SELECT ${JOIN_REQUEST_COLUMNS} FROM join_requests WHERE id = $1 AND ${IN_LIVE_ORGANIZATION}`, [joinRequestId]);
      if (!row || (userId !== undefined && row.user_id !== userId)) throw notFound('JoinRequest');
      return toJoinRequest(row);
    };
    await lockOrganization(tx, (await read()).organizationId);
    const request = await read();
    if (request.status !== 'PENDING') throw notPending(request);
    return request;
  }

  /** The caller's membership under the lock, holding members:manage. */
  private async checkManager(tx: EntityManager, actor: CallerActor, organizationId: string) {
    const caller = await memberUnderLock(tx, organizationId, actor.userId);
    if (!caller) throw notFound('JoinRequest');
    if (!caller.permissions.includes('members:manage')) throw forbidden('Your role does not allow members:manage in this organization.');
    return caller;
  }
}
