// The organizations schema's migrations, in order.
import { CreateOrganizations1732406500000 } from './1732406500000-CreateOrganizations';
import { CreateUserSettings1732406800000 } from './1732406800000-CreateUserSettings';
import { CreateSigningKeys1732406900000 } from './1732406900000-CreateSigningKeys';
import { CreateAuditEvents1733000000000 } from './1733000000000-CreateAuditEvents';
import { OrganizationLifecycle1733200000000 } from './1733200000000-OrganizationLifecycle';
import { CreateRoles1733300000000 } from './1733300000000-CreateRoles';
import { CreateDomainsAndJoinRequests1733400000000 } from './1733400000000-CreateDomainsAndJoinRequests';
import { CreateInvitations1733410000000 } from './1733410000000-CreateInvitations';
import { ProjectLifecycle1733700000000 } from './1733700000000-ProjectLifecycle';
import { ConfigurationVersions1733710000000 } from './1733710000000-ConfigurationVersions';
import { CreateApiKeys1733720000000 } from './1733720000000-CreateApiKeys';
import { NotifyDataChanges1734100000000 } from './1734100000000-NotifyDataChanges';
import { AutomaticInvitations1733730000000 } from './1733730000000-AutomaticInvitations';

export const migrations = [
  CreateOrganizations1732406500000,
  CreateUserSettings1732406800000,
  CreateSigningKeys1732406900000,
  CreateAuditEvents1733000000000,
  OrganizationLifecycle1733200000000,
  CreateRoles1733300000000,
  CreateDomainsAndJoinRequests1733400000000,
  CreateInvitations1733410000000,
  ProjectLifecycle1733700000000,
  ConfigurationVersions1733710000000,
  CreateApiKeys1733720000000,
  AutomaticInvitations1733730000000,
  NotifyDataChanges1734100000000,
];
