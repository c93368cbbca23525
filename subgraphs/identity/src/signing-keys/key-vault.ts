// The vault of identity's access-token signing keys: the shared mechanism, with the encryption derived for identity.
import { KeyVault as ServiceKeyVault } from '@orgapi/shared';

export class KeyVault extends ServiceKeyVault {
  /** `secret` is SIGNING_KEY_SECRET; without one, keys are stored as they are (development). */
  constructor(secret: string | undefined) {
    super(secret, 'identity');
  }
}
