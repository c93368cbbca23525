// The organizations schema's migrations, in order.
import { CreateOrganizations1732406500000 } from './1732406500000-CreateOrganizations';

export const migrations = [CreateOrganizations1732406500000];
