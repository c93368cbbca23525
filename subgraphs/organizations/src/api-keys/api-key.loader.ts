// Reads API keys by ID and by environment; the one place an api_keys row becomes an ApiKey.
import { columnLoader, groupLoader, type Queryable } from '@orgapi/shared';
import { apiKeyStatus, type ApiKeyKind } from './api-key-secret';
import type { ApiKey } from './api-key.type';

/** How many of an environment's keys Environment.apiKeys lists: every one that works (at most MAX_ACTIVE_API_KEYS) and recent history. */
export const LISTED_API_KEYS = 100;

export const API_KEY_COLUMNS =
  'id, organization_id, project_id, environment_id, kind, name, prefix, last_four, created_by, created_at, expires_at, rolled_at, replaced_by, revoked_at, last_used_at';

export function toApiKey(row: Record<string, unknown>, now = new Date()): ApiKey {
  const key = {
    revokedAt: row.revoked_at as Date | null,
    expiresAt: row.expires_at as Date | null,
    rolledAt: row.rolled_at as Date | null,
  };
  return {
    id: row.id as string,
    organizationId: row.organization_id as string,
    projectId: row.project_id as string,
    environmentId: row.environment_id as string,
    kind: row.kind as ApiKeyKind,
    name: row.name as string,
    prefix: row.prefix as string,
    lastFour: row.last_four as string,
    status: apiKeyStatus(key, now).status,
    createdBy: row.created_by ? { id: row.created_by as string } : null,
    createdAt: row.created_at as Date,
    lastUsedAt: row.last_used_at as Date | null,
    replacedBy: row.replaced_by as string | null,
    ...key,
  };
}

export function apiKeyLoaders(db: Queryable) {
  return {
    apiKey: columnLoader(db, { table: 'api_keys', columns: API_KEY_COLUMNS, column: 'id', map: (row) => toApiKey(row), keyOf: (key) => key.id }),
    /** Each environment's newest LISTED_API_KEYS keys, newest first; revoked ones included (their status says so). */
    environmentApiKeys: groupLoader<string, ApiKey>(
      async (environmentIds) =>
        (
          (await db.query(
            `SELECT * FROM (
               SELECT ${API_KEY_COLUMNS}, row_number() OVER (PARTITION BY environment_id ORDER BY id DESC) AS position
                 FROM api_keys WHERE environment_id = ANY($1)
             ) newest WHERE position <= $2 ORDER BY environment_id, id DESC`,
            [environmentIds, LISTED_API_KEYS],
          )) as Record<string, unknown>[]
        ).map((row) => toApiKey(row)),
      (key) => key.environmentId,
    ),
  };
}
