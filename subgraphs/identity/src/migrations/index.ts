// The identity schema's migrations, in order.
import { CreateUsersAndSigningKeys1732406400000 } from './1732406400000-CreateUsersAndSigningKeys';
import { CreateSessionsAndTokens1732406700000 } from './1732406700000-CreateSessionsAndTokens';
import { CreateEmailTokensAndOutbox1733100000000 } from './1733100000000-CreateEmailTokensAndOutbox';
import { CreateEventOutbox1733600000000 } from './1733600000000-CreateEventOutbox';
import { PublishCredentialRevocations1733800000000 } from './1733800000000-PublishCredentialRevocations';
import { NotifyDataChanges1734300000000 } from './1734300000000-NotifyDataChanges';

export const migrations = [
  CreateUsersAndSigningKeys1732406400000,
  CreateSessionsAndTokens1732406700000,
  CreateEmailTokensAndOutbox1733100000000,
  CreateEventOutbox1733600000000,
  PublishCredentialRevocations1733800000000,
  NotifyDataChanges1734300000000,
];
