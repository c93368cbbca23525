// Every table identity's loaders and credential checks read tells the service it changed, at commit, so that it may
// keep reads between requests without ever answering with data older than the request (shared/src/data-change-triggers.ts,
// prepared-reads.ts): a session revoked, a user renamed, is read afresh by the next request that arrives after it.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dataChangeTrigger, notifyDataChanges, stopNotifyingDataChanges } from '@orgapi/shared';

const TOKENS = 'personal_access_tokens';

export class NotifyDataChanges1734300000000 implements MigrationInterface {
  name = 'NotifyDataChanges1734300000000';

  async up(db: QueryRunner): Promise<void> {
    await notifyDataChanges(db);
    // Checking a personal access token records its use in the same statement, at most once a minute per token
    // (tokens.status): an UPDATE that most often touches no row, which a trigger per statement would still announce,
    // and every request with a token would forget every kept read. Per row, only a use actually recorded is news.
    await db.query(`DROP TRIGGER "${dataChangeTrigger(TOKENS)}" ON ${TOKENS}`);
    await db.query(`CREATE TRIGGER "${dataChangeTrigger(TOKENS)}" AFTER INSERT OR UPDATE OR DELETE ON ${TOKENS} FOR EACH ROW EXECUTE FUNCTION notify_data_change()`);
    await db.query(`CREATE TRIGGER "${TOKENS}_truncated" AFTER TRUNCATE ON ${TOKENS} FOR EACH STATEMENT EXECUTE FUNCTION notify_data_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await stopNotifyingDataChanges(db);
  }
}
