// The billing schema's migrations, in order.
import { CreateCredits1732406600000 } from './1732406600000-CreateCredits';
import { UsageRollups1733900000000 } from './1733900000000-UsageRollups';
import { Ledger1734000000000 } from './1734000000000-Ledger';
import { NotifyDataChanges1734100000000 } from './1734100000000-NotifyDataChanges';
import { UsageBreakdowns1734200000000 } from './1734200000000-UsageBreakdowns';

export const migrations = [CreateCredits1732406600000, UsageRollups1733900000000, Ledger1734000000000, NotifyDataChanges1734100000000, UsageBreakdowns1734200000000];
