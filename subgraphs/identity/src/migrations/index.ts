// The identity schema's migrations, in order.
import { CreateUsersAndSigningKeys1732406400000 } from './1732406400000-CreateUsersAndSigningKeys';
import { CreateSessionsAndTokens1732406700000 } from './1732406700000-CreateSessionsAndTokens';

export const migrations = [CreateUsersAndSigningKeys1732406400000, CreateSessionsAndTokens1732406700000];
