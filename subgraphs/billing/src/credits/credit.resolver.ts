// Organization.creditBalance.
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { authorize } from '../access';
import type { BillingContext } from '../context';
import { Organization, requiresViewerPermissions } from '../extended.type';
import { CreditBalance } from './credit.type';

@Resolver(() => Organization)
export class CreditBalanceResolver {
  @FieldResolver(() => CreditBalance, { nullable: true, description: "The organization's credits. Needs `billing:read` (null with a FORBIDDEN error otherwise)." })
  @requiresViewerPermissions()
  async creditBalance(@Root() organization: Organization, @Ctx() context: BillingContext): Promise<CreditBalance> {
    await authorize(context, 'Organization', organization, 'billing:read');
    return context.credits.balance(await context.loaders.creditTotals.load(organization.id));
  }
}
