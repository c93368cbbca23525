// Identity tells every other service, at the commit that makes it so, that a credential stopped being good or an
// account changed (so their cached introspection answers go): a trigger per table, so no code path can forget.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PublishCredentialRevocations1733800000000 implements MigrationInterface {
  name = 'PublishCredentialRevocations1733800000000';

  async up(db: QueryRunner): Promise<void> {
    // The payload names what changed, for logs; listeners empty their whole cache either way. pg_notify in a
    // transaction is delivered at commit, and not at all on rollback.
    await db.query(`
      CREATE FUNCTION publish_credential_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('credential_revocations', json_build_object('table', TG_TABLE_NAME, 'id', COALESCE(NEW.id, OLD.id))::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER sessions_revoked AFTER UPDATE OF revoked_at ON sessions FOR EACH ROW
        WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION publish_credential_revocation()`);
    await db.query(`CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions FOR EACH ROW WHEN (OLD.revoked_at IS NULL) EXECUTE FUNCTION publish_credential_revocation()`);
    await db.query(`
      CREATE TRIGGER personal_access_tokens_revoked AFTER UPDATE OF revoked_at ON personal_access_tokens FOR EACH ROW
        WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION publish_credential_revocation()`);
    await db.query(
      `CREATE TRIGGER personal_access_tokens_deleted AFTER DELETE ON personal_access_tokens FOR EACH ROW WHEN (OLD.revoked_at IS NULL) EXECUTE FUNCTION publish_credential_revocation()`,
    );
    // The introspection answer carries the user's email and whether it is verified: a change is news too.
    await db.query(`
      CREATE TRIGGER users_changed AFTER UPDATE OF email, email_verified_at ON users FOR EACH ROW
        WHEN (OLD.email IS DISTINCT FROM NEW.email OR OLD.email_verified_at IS DISTINCT FROM NEW.email_verified_at) EXECUTE FUNCTION publish_credential_revocation()`);
    await db.query(`CREATE TRIGGER users_deleted AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION publish_credential_revocation()`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['sessions_revoked', 'sessions'],
      ['sessions_deleted', 'sessions'],
      ['personal_access_tokens_revoked', 'personal_access_tokens'],
      ['personal_access_tokens_deleted', 'personal_access_tokens'],
      ['users_changed', 'users'],
      ['users_deleted', 'users'],
    ]) {
      await db.query(`DROP TRIGGER ${trigger} ON ${table}`);
    }
    await db.query(`DROP FUNCTION publish_credential_revocation()`);
  }
}
