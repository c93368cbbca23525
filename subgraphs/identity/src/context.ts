// What every identity resolver receives with each request.
import type { BaseRequestContext } from '@orgapi/shared';
import type { UserService } from './users/user.service';
import type { userLoader } from './users/user.loader';
import type { SigningKeys } from './sessions/signing-keys';

export interface IdentityContext extends BaseRequestContext {
  users: UserService;
  keys: SigningKeys;
  accessTokenTtlSeconds: number;
  loaders: { user: ReturnType<typeof userLoader> };
}
