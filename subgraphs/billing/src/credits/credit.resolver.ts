// Organization.creditBalance.
import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { requirePermission } from '../access';
import type { BillingContext } from '../context';
import { Organization } from '../extended.type';
import { CreditBalance } from './credit.type';

@Resolver(() => Organization)
export class CreditBalanceResolver {
  @FieldResolver(() => CreditBalance, { nullable: true, description: "The organization's credits. Needs `billing:read` (null with a FORBIDDEN error otherwise)." })
  @Directive('@requires(fields: "viewerPermissions")')
  async creditBalance(@Root() organization: Organization, @Ctx() context: BillingContext): Promise<CreditBalance> {
    requirePermission(context, organization, 'billing:read');
    return (await context.loaders.balance.load(organization.id)) ?? { available: 0, granted: 0, used: 0 };
  }
}
