// Names no other test has used, so tests sharing a graph never collide on an email or a slug.
import { randomBytes } from 'node:crypto';

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
