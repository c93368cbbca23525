// Organization.auditEvents: the organization's audit log, for owners and admins.
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, ConnectionSize, pageRequest, parseInput, toConnection, type Connection } from '@orgapi/shared';
import { authorize } from '../access';
import type { OrganizationsContext } from '../context';
import { Organization } from '../organizations/organization.type';
import { AuditEventFilter, auditEventFilter } from './audit.input';
import { AuditEvent, AuditEventConnection } from './audit.type';

@Resolver(() => Organization)
export class OrganizationAuditResolver {
  @FieldResolver(() => AuditEventConnection, {
    description: 'Every change to this organization, newest first: who did what, when, from where. Needs `audit:read` (owners and admins).',
  })
  @ConnectionSize()
  async auditEvents(
    @Root() organization: Organization,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => AuditEventFilter, { nullable: true, description: 'Narrows the list by action, actor or time.' }) filter: AuditEventFilter | null,
    @Ctx() context: OrganizationsContext,
  ): Promise<Connection<AuditEvent>> {
    await authorize(context, organization.id, 'audit:read');
    const narrowed = parseInput(auditEventFilter, filter ?? {});
    const page = pageRequest(args);
    const rows = await context.loaders.auditEventsPage({ filter: narrowed, page }).load(organization.id);
    return toConnection(rows, page, (event) => event.id, () => context.loaders.auditEventCount(narrowed).load(organization.id));
  }
}
