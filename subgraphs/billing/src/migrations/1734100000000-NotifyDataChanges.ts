// Every table tells the service it changed, at commit, so loaders may keep reads between requests without ever
// answering with data older than the request (shared/src/data-change-triggers.ts, prepared-reads.ts).
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { notifyDataChanges, stopNotifyingDataChanges } from '@orgapi/shared';

export class NotifyDataChanges1734100000000 implements MigrationInterface {
  name = 'NotifyDataChanges1734100000000';

  async up(db: QueryRunner): Promise<void> {
    await notifyDataChanges(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await stopNotifyingDataChanges(db);
  }
}
