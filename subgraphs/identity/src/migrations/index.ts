// The identity schema's migrations, in order.
import { CreateUsersAndSigningKeys1732406400000 } from './1732406400000-CreateUsersAndSigningKeys';

export const migrations = [CreateUsersAndSigningKeys1732406400000];
