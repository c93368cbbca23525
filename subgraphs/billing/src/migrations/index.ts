// The billing schema's migrations, in order.
import { CreateCredits1732406600000 } from './1732406600000-CreateCredits';

export const migrations = [CreateCredits1732406600000];
