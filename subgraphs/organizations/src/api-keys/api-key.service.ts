// Creating, rolling and revoking API keys, and telling the services whether a secret is a working key. Knows nothing
// of GraphQL; the caller has authorized `keys:manage` in the key's organization.
import { timingSafeEqual } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { AppError, badInput, displayName, ErrorCode, hashSecret, newId, notFound, parseInput, type CredentialStatus, type EnvironmentMode } from '@orgapi/shared';
import type { Actor } from '../audit/actor';
import { recordAudit } from '../audit/audit.service';
import { quotaExceeded } from '../quotas';
import { API_KEY_KINDS, apiKeyStatus, newApiKeySecret, type ApiKeyKind } from './api-key-secret';
import { MAX_ROLL_GRACE_HOURS } from './api-key.input';
import { API_KEY_COLUMNS, toApiKey } from './api-key.loader';
import type { ApiKey, ApiKeyWithSecret } from './api-key.type';

/** Keys that work (active or rolled in their grace period) per environment: more than any deployment needs. */
export const MAX_ACTIVE_API_KEYS = 50;
// How often using a key updates its lastUsedAt: often enough to be useful, rarely enough to cost nothing.
const LAST_USED_RESOLUTION_SECONDS = 60;

const createInput = z.object({
  kind: z.enum(API_KEY_KINDS),
  name: displayName(),
  expiresAt: z.date().refine((date) => date.getTime() > Date.now(), 'An expiry must be in the future.').nullish(),
});
const rollInput = z.object({ expiresInHours: z.number().int().min(0).max(MAX_ROLL_GRACE_HOURS, `A rolled key keeps working at most ${MAX_ROLL_GRACE_HOURS} hours (a week).`) });


const archived = (name: string) =>
  new AppError(ErrorCode.CONFLICT, `The project "${name}" is archived, so its keys cannot be changed: restore it first (restoreProject). Its keys keep working.`, { reason: 'archived' });

export class ApiKeyService {
  constructor(private readonly db: DataSource) {}

  async create(actor: Actor, environmentId: string, input: unknown): Promise<ApiKeyWithSecret> {
    const { kind, name, expiresAt } = parseInput(createInput, input);
    return this.db.transaction(async (tx) => {
      const environment = await lockEnvironment(tx, environmentId);
      const secret = newApiKeySecret(kind, environment.mode);
      const apiKey = await insertKey(tx, actor, environment, { kind, name, expiresAt: expiresAt ?? null }, secret);
      await recordAudit(tx, actor, {
        organizationId: environment.organizationId,
        action: 'api_key.created',
        target: { type: 'api_key', id: apiKey.id },
        after: { name, kind, environmentId, prefix: secret.prefix, lastFour: secret.lastFour, expiresAt: apiKey.expiresAt },
      });
      return { apiKey, secret: secret.secret };
    });
  }

  /**
   * Issues a new secret for the key's environment, kind and name, and keeps the old one working for
   * `expiresInHours` (0: it stops now, for a leaked key), as Stripe's roll does.
   */
  async roll(actor: Actor, apiKeyId: string, input: unknown): Promise<ApiKeyWithSecret> {
    const { expiresInHours } = parseInput(rollInput, input);
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = $1 FOR UPDATE`, [apiKeyId]);
      if (!row) throw notFound('API key');
      const old = toApiKey(row);
      if (old.status !== 'ACTIVE') {
        throw new AppError(ErrorCode.CONFLICT, `This key is ${old.status.toLowerCase()}, so it cannot be rolled: create a new key instead.`, { reason: old.status.toLowerCase() });
      }
      const environment = await lockEnvironment(tx, old.environmentId);
      const secret = newApiKeySecret(old.kind, environment.mode);
      const apiKey = await insertKey(tx, actor, environment, { kind: old.kind, name: old.name, expiresAt: null }, secret, old.id);
      const [[rolled]] = await tx.query(
        `UPDATE api_keys SET rolled_at = now(), replaced_by = $2,
            expires_at = LEAST(coalesce(expires_at, 'infinity'), now() + make_interval(hours => $3))
          WHERE id = $1 RETURNING expires_at`,
        [old.id, apiKey.id, expiresInHours],
      );
      await recordAudit(tx, actor, {
        organizationId: old.organizationId,
        action: 'api_key.rolled',
        target: { type: 'api_key', id: old.id },
        before: { prefix: old.prefix, lastFour: old.lastFour, expiresAt: old.expiresAt },
        after: { replacedBy: apiKey.id, prefix: secret.prefix, lastFour: secret.lastFour, oldKeyExpiresAt: rolled.expires_at },
      });
      return { apiKey, secret: secret.secret };
    });
  }

  /** Revokes a key: every service refuses it from the next request. Revoking a revoked key changes nothing. */
  async revoke(actor: Actor, apiKeyId: string): Promise<ApiKey> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = $1 FOR UPDATE`, [apiKeyId]);
      if (!row) throw notFound('API key');
      if (row.revoked_at) return toApiKey(row);
      const [[revoked]] = await tx.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 RETURNING ${API_KEY_COLUMNS}`, [apiKeyId]);
      await recordAudit(tx, actor, {
        organizationId: row.organization_id,
        action: 'api_key.revoked',
        target: { type: 'api_key', id: apiKeyId },
        before: { name: row.name, kind: row.kind, prefix: row.prefix, lastFour: row.last_four },
      });
      return toApiKey(revoked);
    });
  }

  /**
   * Whether `secret` is a working key, and of which environment: looked up by its hash (the secret itself is never
   * stored), compared in constant time, refused with its reason once revoked, expired or rolled past its grace, or
   * once its project or organization is deleted. Records use, at most once a minute.
   */
  async introspect(secret: string): Promise<CredentialStatus> {
    const hash = hashSecret(secret);
    const [row] = await this.db.query(
      `SELECT k.id, k.kind, k.environment_id, k.project_id, k.organization_id, k.secret_hash, k.revoked_at, k.expires_at, k.rolled_at, e.mode
         FROM api_keys k
         JOIN environments e ON e.id = k.environment_id
         JOIN projects p ON p.id = k.project_id AND p.deleted_at IS NULL
         JOIN organizations o ON o.id = k.organization_id AND o.deleted_at IS NULL
        WHERE k.secret_hash = $1`,
      [hash],
    );
    if (!row || !timingSafeEqual(row.secret_hash as Buffer, hash)) return { active: false, reason: 'invalid' };
    const { refusal } = apiKeyStatus({ revokedAt: row.revoked_at, expiresAt: row.expires_at, rolledAt: row.rolled_at }, new Date());
    if (refusal) return { active: false, reason: refusal };
    await this.db.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`,
      [row.id, LAST_USED_RESOLUTION_SECONDS],
    );
    return {
      active: true,
      apiKey: { keyId: row.id, kind: row.kind, environmentId: row.environment_id, projectId: row.project_id, organizationId: row.organization_id, mode: row.mode },
    };
  }
}

interface LockedEnvironment {
  id: string;
  projectId: string;
  organizationId: string;
  mode: EnvironmentMode;
}

/** The environment, its live project (not archived) locked against concurrent key creations, for the quota. */
async function lockEnvironment(tx: EntityManager, environmentId: string): Promise<LockedEnvironment> {
  const [row] = await tx.query(
    `SELECT e.id, e.project_id, e.organization_id, e.mode, p.name AS project_name, p.archived_at
       FROM environments e JOIN projects p ON p.id = e.project_id AND p.deleted_at IS NULL
      WHERE e.id = $1 FOR NO KEY UPDATE OF e`,
    [environmentId],
  );
  if (!row) throw notFound('Environment');
  if (row.archived_at) throw archived(row.project_name);
  return { id: row.id, projectId: row.project_id, organizationId: row.organization_id, mode: row.mode };
}

async function insertKey(
  tx: EntityManager,
  actor: Actor,
  environment: LockedEnvironment,
  key: { kind: ApiKeyKind; name: string; expiresAt: Date | null },
  secret: ReturnType<typeof newApiKeySecret>,
  replacing: string | null = null,
): Promise<ApiKey> {
  // A roll replaces a working key, so it never needs a free place; a creation does.
  if (!replacing) {
    const [{ count }] = await tx.query(
      `SELECT count(*)::int AS count FROM api_keys WHERE environment_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [environment.id],
    );
    if (count >= MAX_ACTIVE_API_KEYS) throw quotaExceeded(`This environment has ${MAX_ACTIVE_API_KEYS} working keys, the most it may have: revoke one first.`, MAX_ACTIVE_API_KEYS);
  }
  if (key.name.length > 100) throw badInput('A key name is at most 100 characters.', 'name');
  const [row] = await tx.query(
    `INSERT INTO api_keys (id, organization_id, project_id, environment_id, kind, name, secret_hash, prefix, last_four, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${API_KEY_COLUMNS}`,
    [newId('key'), environment.organizationId, environment.projectId, environment.id, key.kind, key.name, hashSecret(secret.secret), secret.prefix, secret.lastFour, actor.userId, key.expiresAt],
  );
  return toApiKey(row);
}
